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
