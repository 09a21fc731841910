-- Converts kits' HTML to DOCX for one worker process, one request per line on stdin:
--   {"html": "...", "out": "path.docx", "reference": "reference.docx", "meta": {"title": "..."}}
-- and answers one line each: "ok", or "error <message>". One pandoc process serves every kit
-- a worker renders; a pandoc per kit spent a third of its time starting up.
for line in io.lines() do
  local ok, err = pcall(function()
    local request = pandoc.json.decode(line, false)
    -- An empty file list: the reader runs sandboxed, with no file system and no network.
    local doc = pandoc.read(request.html, "html", {}, {})
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
