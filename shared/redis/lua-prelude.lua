-- Helpers every Lua script of every folder may use, prepended before the
-- folder's own lib.lua (shared/redis/lua-scripts.ts). Only what is the same
-- whatever the keys: key building and walks belong to each folder's lib.

-- Every occurrence of `needle` in `text` (plain text, no patterns), replaced;
-- and whether there was one.
local function replaceAll(text, needle, with)
  local out, from = {}, 1
  while true do
    local s, e = string.find(text, needle, from, true)
    if not s then break end
    out[#out + 1] = string.sub(text, from, s - 1)
    out[#out + 1] = with
    from = e + 1
  end
  if from == 1 then return text, false end
  out[#out + 1] = string.sub(text, from)
  return table.concat(out), true
end
