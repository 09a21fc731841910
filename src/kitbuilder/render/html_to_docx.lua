-- Converts kits' HTML to DOCX for one worker process, one request per line on stdin:
--   {"html": "...", "out": "path.docx", "reference": "reference.docx", "meta": {"title": "..."}}
-- and answers one line each: "ok", or "error <message>". One pandoc process serves every kit
-- a worker renders; a pandoc per kit spent a third of its time starting up.

-- The layout may mark where each chapter begins (docx.html.j2). The parts are read one by one,
-- and a part read before (a chapter every kit of the language shares) is not read again:
-- pandoc's HTML reader took ~40 ms a kit, ~10 ms once the shared chapters are known. The
-- result is the document the whole HTML gives (tests/render/test_docx_parts.py).
local MARK = "<!--kitbuilder:part-->"
local known, count = {}, 0

local function read_html(html)
  local parts, start = {}, 1
  while true do
    local first, last = html:find(MARK, start, true)
    if not first then break end
    table.insert(parts, html:sub(start, first - 1))
    start = last + 1
  end
  table.insert(parts, html:sub(start))
  -- An empty file list: the reader runs sandboxed, with no file system and no network.
  local doc = pandoc.read(parts[1], "html", {}, {})  -- the head (metadata) and the cover
  for i = 2, #parts do
    local blocks = known[parts[i]]
    if not blocks then
      blocks = pandoc.read(parts[i], "html", {}, {}).blocks
      if count >= 64 then known, count = {}, 0 end
      known[parts[i]], count = blocks, count + 1
    end
    doc.blocks:extend(blocks)
  end
  return doc
end

-- An agenda row's kind (the layout's tr class) as the Word paragraph style of its cells: a
-- break reads quiet, a parallel session is grouped with the others at its time (docx.py).
local ROW_STYLES = {["slot-break"] = "Agenda Break", ["slot-parallel"] = "Agenda Parallel"}

function mark_agenda_rows(tbl)
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      for _, class in ipairs(row.attr.classes) do
        local style = ROW_STYLES[class]
        if style then
          for _, cell in ipairs(row.cells) do
            -- A cell's bare text is Plain, which the writer sets in "Compact" whatever the Div
            -- says: as a paragraph it takes the row's style.
            local blocks = pandoc.Blocks(cell.contents):map(function(block)
              if block.t == "Plain" then return pandoc.Para(block.content) end
              return block
            end)
            cell.contents = {pandoc.Div(blocks, {["custom-style"] = style})}
          end
        end
      end
    end
  end
  return tbl
end

for line in io.lines() do
  local ok, err = pcall(function()
    local request = pandoc.json.decode(line, false)
    local doc = read_html(request.html)
    -- The writer would fetch an image it does not hold; only inline (data:) images are kept,
    -- others become their description, so nothing is read from disk or the network.
    doc = doc:walk {
      Image = function(image)
        if not image.src:match("^data:") then return image.caption end
      end,
      Table = mark_agenda_rows,
    }
    for key, value in pairs(request.meta) do doc.meta[key] = value end
    local bytes = pandoc.write(doc, "docx", {reference_doc = request.reference})
    local file = assert(io.open(request.out, "wb"))
    file:write(bytes)
    file:close()
  end)
  if ok then
    io.stdout:write("ok\n")
  else
    io.stdout:write("error " .. tostring(err):gsub("[\r\n]+", " ") .. "\n")
  end
  io.stdout:flush()
end
