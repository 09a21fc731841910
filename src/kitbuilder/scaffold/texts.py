"""The words of a new project, per language (en, es, fr, pt, ar, zh, ru): real text where
kitbuilder can write it, and a placeholder (placeholders.MARK, TODO) where the secretariat must
decide — what the workshop is about, who signs, where. `kitbuilder check` reports each
placeholder until it is gone, and nothing that reaches a delegate may hold one. Languages not
listed here get the English words, each marked to translate (a placeholder too)."""

from __future__ import annotations

import re
from pathlib import Path

from ..placeholders import MARK

DEFAULT_TITLE = "TODO: title of the workshop"  # `new --title`'s default: each language's own

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "TODO: title of the workshop",
        "conference": "TODO: name of the conference or organisation",
        "conference_short": "TODO",
        "kind": "Workshop",
        "subtitle": "Concept note and agenda",
        "format.virtual": "Virtual workshop",
        "format.in-person": "Workshop",
        "format.hybrid": "Hybrid workshop",
        "organiser": "TODO: organiser",
        "concept_title": "Concept note",
        "background": "Background",
        "background_text": "TODO: why this workshop, and for whom.",
        "objectives": "Objectives",
        "objective": "TODO: what the workshop should achieve.",
        "agenda": "Agenda",
        "morning": "TODO: morning session",
        "break": "Lunch break",
        "afternoon": "TODO: afternoon session",
        "participants": "Participants",
        "intro": "Each participating country is invited to send a delegation of:",
        "delegate": "TODO: representatives of …",
        "guidance": "Please list the members of your delegation below.",
        "logistics_title": "Logistics note",
        "venue_heading": "Venue",
        "venue_text": "TODO: how to reach the venue, and what delegates need to know on arrival.",
        "online_heading": "Joining online",
        "online_text": "TODO: how remote participants join, and whom to call if it fails.",
        "venue_name": "TODO: name of the venue",
        "venue_city": "TODO: city",
    },
    "es": {
        "title": "TODO: título del taller",
        "conference": "TODO: nombre de la conferencia u organización",
        "conference_short": "TODO",
        "kind": "Taller",
        "subtitle": "Nota conceptual y agenda",
        "format.virtual": "Taller virtual",
        "format.in-person": "Taller",
        "format.hybrid": "Taller híbrido",
        "organiser": "TODO: organizador",
        "concept_title": "Nota conceptual",
        "background": "Antecedentes",
        "background_text": "TODO: por qué este taller y para quién.",
        "objectives": "Objetivos",
        "objective": "TODO: lo que el taller debe lograr.",
        "agenda": "Agenda",
        "morning": "TODO: sesión de la mañana",
        "break": "Pausa para el almuerzo",
        "afternoon": "TODO: sesión de la tarde",
        "participants": "Participantes",
        "intro": "Se invita a cada país participante a enviar una delegación de:",
        "delegate": "TODO: representantes de …",
        "guidance": "Indique abajo los miembros de su delegación.",
        "logistics_title": "Nota logística",
        "venue_heading": "Sede",
        "venue_text": "TODO: cómo llegar a la sede y qué deben saber las delegaciones al llegar.",
        "online_heading": "Participación en línea",
        "online_text": "TODO: cómo se conectan quienes participan a distancia y a quién llamar "
                       "si falla.",
        "venue_name": "TODO: nombre de la sede",
        "venue_city": "TODO: ciudad",
    },
    "fr": {
        "title": "TODO: titre de l’atelier",
        "conference": "TODO: nom de la conférence ou de l’organisation",
        "conference_short": "TODO",
        "kind": "Atelier",
        "subtitle": "Note conceptuelle et ordre du jour",
        "format.virtual": "Atelier virtuel",
        "format.in-person": "Atelier",
        "format.hybrid": "Atelier hybride",
        "organiser": "TODO: organisateur",
        "concept_title": "Note conceptuelle",
        "background": "Contexte",
        "background_text": "TODO: pourquoi cet atelier, et pour qui.",
        "objectives": "Objectifs",
        "objective": "TODO: ce que l’atelier doit accomplir.",
        "agenda": "Ordre du jour",
        "morning": "TODO: séance du matin",
        "break": "Pause déjeuner",
        "afternoon": "TODO: séance de l’après-midi",
        "participants": "Participants",
        "intro": "Chaque pays participant est invité à envoyer une délégation de :",
        "delegate": "TODO: représentants de …",
        "guidance": "Veuillez indiquer ci-dessous les membres de votre délégation.",
        "logistics_title": "Note logistique",
        "venue_heading": "Lieu",
        "venue_text": "TODO: comment rejoindre le lieu, et ce que les délégués doivent savoir à "
                      "leur arrivée.",
        "online_heading": "Participation en ligne",
        "online_text": "TODO: comment se connecter à distance, et qui appeler en cas de problème.",
        "venue_name": "TODO: nom du lieu",
        "venue_city": "TODO: ville",
    },
    "pt": {
        "title": "TODO: título da oficina",
        "conference": "TODO: nome da conferência ou organização",
        "conference_short": "TODO",
        "kind": "Oficina",
        "subtitle": "Nota conceitual e agenda",
        "format.virtual": "Oficina virtual",
        "format.in-person": "Oficina",
        "format.hybrid": "Oficina híbrida",
        "organiser": "TODO: organizador",
        "concept_title": "Nota conceitual",
        "background": "Antecedentes",
        "background_text": "TODO: por que esta oficina, e para quem.",
        "objectives": "Objetivos",
        "objective": "TODO: o que a oficina deve alcançar.",
        "agenda": "Agenda",
        "morning": "TODO: sessão da manhã",
        "break": "Pausa para o almoço",
        "afternoon": "TODO: sessão da tarde",
        "participants": "Participantes",
        "intro": "Cada país participante é convidado a enviar uma delegação de:",
        "delegate": "TODO: representantes de …",
        "guidance": "Indique abaixo os membros da sua delegação.",
        "logistics_title": "Nota logística",
        "venue_heading": "Local",
        "venue_text": "TODO: como chegar ao local e o que as delegações precisam saber.",
        "online_heading": "Participação online",
        "online_text": "TODO: como se conectam os participantes remotos e a quem ligar se falhar.",
        "venue_name": "TODO: nome do local",
        "venue_city": "TODO: cidade",
    },
    "ar": {
        "title": "TODO: عنوان حلقة العمل",
        "conference": "TODO: اسم المؤتمر أو المنظمة",
        "conference_short": "TODO",
        "kind": "حلقة عمل",
        "subtitle": "مذكرة مفاهيمية وجدول الأعمال",
        "format.virtual": "حلقة عمل افتراضية",
        "format.in-person": "حلقة عمل",
        "format.hybrid": "حلقة عمل هجينة",
        "organiser": "TODO: الجهة المنظِّمة",
        "concept_title": "مذكرة مفاهيمية",
        "background": "الخلفية",
        "background_text": "TODO: لماذا تُعقد حلقة العمل هذه، ولمن.",
        "objectives": "الأهداف",
        "objective": "TODO: ما ينبغي أن تحققه حلقة العمل.",
        "agenda": "جدول الأعمال",
        "morning": "TODO: الجلسة الصباحية",
        "break": "استراحة الغداء",
        "afternoon": "TODO: الجلسة المسائية",
        "participants": "المشاركون",
        "intro": "يُدعى كل بلد مشارك إلى إيفاد وفد يتألف من:",
        "delegate": "TODO: ممثلين عن …",
        "guidance": "يُرجى إدراج أسماء أعضاء وفدكم أدناه.",
        "logistics_title": "مذكرة لوجستية",
        "venue_heading": "مكان الانعقاد",
        "venue_text": "TODO: كيفية الوصول إلى مكان الانعقاد، وما يحتاج المندوبون إلى معرفته "
                      "عند وصولهم.",
        "online_heading": "المشاركة عبر الإنترنت",
        "online_text": "TODO: كيف ينضم المشاركون عن بُعد، وبمن يتصلون إذا تعذّر ذلك.",
        "venue_name": "TODO: اسم مكان الانعقاد",
        "venue_city": "TODO: المدينة",
    },
    "zh": {
        "title": "TODO: 讲习班名称",
        "conference": "TODO: 会议或组织名称",
        "conference_short": "TODO",
        "kind": "讲习班",
        "subtitle": "概念说明和日程",
        "format.virtual": "线上讲习班",
        "format.in-person": "讲习班",
        "format.hybrid": "线上线下混合讲习班",
        "organiser": "TODO: 主办单位",
        "concept_title": "概念说明",
        "background": "背景",
        "background_text": "TODO: 举办本次讲习班的原因和对象。",
        "objectives": "目标",
        "objective": "TODO: 本次讲习班应达到的目标。",
        "agenda": "日程",
        "morning": "TODO: 上午会议",
        "break": "午餐休息",
        "afternoon": "TODO: 下午会议",
        "participants": "与会者",
        "intro": "请各参会国派出由以下人员组成的代表团：",
        "delegate": "TODO: …的代表",
        "guidance": "请在下表中填写贵国代表团成员。",
        "logistics_title": "后勤说明",
        "venue_heading": "会议地点",
        "venue_text": "TODO: 如何前往会议地点，以及代表抵达时需要了解的事项。",
        "online_heading": "在线参会",
        "online_text": "TODO: 远程与会者如何接入，以及接入失败时的联系人。",
        "venue_name": "TODO: 会议地点名称",
        "venue_city": "TODO: 城市",
    },
    "ru": {
        "title": "TODO: название семинара",
        "conference": "TODO: название конференции или организации",
        "conference_short": "TODO",
        "kind": "Семинар",
        "subtitle": "Концептуальная записка и программа",
        "format.virtual": "Онлайн-семинар",
        "format.in-person": "Семинар",
        "format.hybrid": "Гибридный семинар",
        "organiser": "TODO: организатор",
        "concept_title": "Концептуальная записка",
        "background": "Общие сведения",
        "background_text": "TODO: зачем проводится семинар и для кого.",
        "objectives": "Цели",
        "objective": "TODO: чего должен достичь семинар.",
        "agenda": "Программа",
        "morning": "TODO: утреннее заседание",
        "break": "Обеденный перерыв",
        "afternoon": "TODO: дневное заседание",
        "participants": "Участники",
        "intro": "Каждой участвующей стране предлагается направить делегацию в составе:",
        "delegate": "TODO: представители …",
        "guidance": "Укажите, пожалуйста, ниже состав вашей делегации.",
        "logistics_title": "Информация по организационным вопросам",
        "venue_heading": "Место проведения",
        "venue_text": "TODO: как добраться до места проведения и что нужно знать делегатам "
                      "по прибытии.",
        "online_heading": "Онлайн-участие",
        "online_text": "TODO: как подключаются дистанционные участники и куда обращаться "
                       "при сбое.",
        "venue_name": "TODO: место проведения",
        "venue_city": "TODO: город",
    },
}


TRANSLATE = f"{MARK} (translate): "


def texts(lang: str) -> dict[str, str]:
    if lang in TEXTS:
        return TEXTS[lang]
    # English words in a kit of another language: each one is a placeholder to translate.
    return {key: text if text.startswith(MARK) else TRANSLATE + text
            for key, text in TEXTS["en"].items()}


# content/<lang>/delegates.yaml and mail.yaml of a new project (scaffold/delegates-<lang>.yaml,
# mail-<lang>.yaml): what `kitbuilder delegates build` prints on letters and certificates,
# what `mail --document` sends with them, and the message with each kit (`kitbuilder mail`).
# Who signs, and where, is the secretariat's to fill (TODO).
DELEGATE_TEXT_LANGUAGES = ("en", "es", "fr", "pt")


def delegate_texts(lang: str) -> str:
    """A language without its own words gets the English ones, each marked to translate."""
    return _shipped("delegates", lang)


def mail_texts(lang: str) -> str:
    return _shipped("mail", lang)


def _shipped(kind: str, lang: str) -> str:
    folder = Path(__file__).parent
    if lang in DELEGATE_TEXT_LANGUAGES:
        return (folder / f"{kind}-{lang}.yaml").read_text(encoding="utf-8")
    english = (folder / f"{kind}-en.yaml").read_text(encoding="utf-8")
    # Every quoted text (not the keys) becomes a placeholder to translate.
    marked = re.sub(r'(: |- )"(?!' + MARK + ')', r'\1"' + TRANSLATE, english)
    marked = re.sub(r"(: \|\n +)", r"\1" + TRANSLATE, marked)  # the mails' bodies
    return re.sub(r"^(virtual|at): (.+)$", r'\1: "' + TRANSLATE + r'\2"', marked, flags=re.M)
