-- User-name keys move to Unicode case folding (NameRules.key: NFKC, upper case, then ICU's
-- NFKC_Casefold). Over every letter and digit, the new key differs from the old one only for:
--   * capital sharp s (U+1E9E): the old key kept "ß", the new one folds it to "ss";
--   * Cherokee: the old key used the small letters, case folding maps to the capital ones (the
--     same names match each other as before, only the stored form changes);
--   * the Hangul fillers U+115F and U+1160 (also U+3164 and U+FFA0, which NFKC made U+1160): they
--     are default-ignorable, and case folding drops them. New names may not contain them.
-- Where a rewritten key would collide with an existing one (say "straße" and "straẞe" were both
-- registered), the account registered first gets it and the other keeps its old key, which no
-- login can reach any more: such accounts were the same name twice, which the new key forbids.

-- Cherokee: small letters to capital ones. No collision is possible: old and new keys group the
-- same names.
UPDATE users SET name_key = translate(name_key, 'ꭰꭱꭲꭳꭴꭵꭶꭷꭸꭹꭺꭻꭼꭽꭾꭿꮀꮁꮂꮃꮄꮅꮆꮇꮈꮉꮊꮋꮌꮍꮎꮏꮐꮑꮒꮓꮔꮕꮖꮗꮘꮙꮚꮛꮜꮝꮞꮟꮠꮡꮢꮣꮤꮥꮦꮧꮨꮩꮪꮫꮬꮭꮮꮯꮰꮱꮲꮳꮴꮵꮶꮷꮸꮹꮺꮻꮼꮽꮾꮿᏸᏹᏺᏻᏼᏽ', 'ᎠᎡᎢᎣᎤᎥᎦᎧᎨᎩᎪᎫᎬᎭᎮᎯᎰᎱᎲᎳᎴᎵᎶᎷᎸᎹᎺᎻᎼᎽᎾᎿᏀᏁᏂᏃᏄᏅᏆᏇᏈᏉᏊᏋᏌᏍᏎᏏᏐᏑᏒᏓᏔᏕᏖᏗᏘᏙᏚᏛᏜᏝᏞᏟᏠᏡᏢᏣᏤᏥᏦᏧᏨᏩᏪᏫᏬᏭᏮᏯᏰᏱᏲᏳᏴᏵ')
WHERE name_key <> translate(name_key, 'ꭰꭱꭲꭳꭴꭵꭶꭷꭸꭹꭺꭻꭼꭽꭾꭿꮀꮁꮂꮃꮄꮅꮆꮇꮈꮉꮊꮋꮌꮍꮎꮏꮐꮑꮒꮓꮔꮕꮖꮗꮘꮙꮚꮛꮜꮝꮞꮟꮠꮡꮢꮣꮤꮥꮦꮧꮨꮩꮪꮫꮬꮭꮮꮯꮰꮱꮲꮳꮴꮵꮶꮷꮸꮹꮺꮻꮼꮽꮾꮿᏸᏹᏺᏻᏼᏽ', 'ᎠᎡᎢᎣᎤᎥᎦᎧᎨᎩᎪᎫᎬᎭᎮᎯᎰᎱᎲᎳᎴᎵᎶᎷᎸᎹᎺᎻᎼᎽᎾᎿᏀᏁᏂᏃᏄᏅᏆᏇᏈᏉᏊᏋᏌᏍᏎᏏᏐᏑᏒᏓᏔᏕᏖᏗᏘᏙᏚᏛᏜᏝᏞᏟᏠᏡᏢᏣᏤᏥᏦᏧᏨᏩᏪᏫᏬᏭᏮᏯᏰᏱᏲᏳᏴᏵ');

UPDATE users SET name_key = replace(name_key, chr(223), 'ss')
WHERE id IN (SELECT min(id) FROM users WHERE strpos(name_key, chr(223)) > 0
             GROUP BY replace(name_key, chr(223), 'ss'))
  AND NOT EXISTS (SELECT 1 FROM users o
                  WHERE o.name_key = replace(users.name_key, chr(223), 'ss'));

UPDATE users SET name_key = replace(replace(name_key, chr(4447), ''), chr(4448), '')
WHERE id IN (SELECT min(id) FROM users
             WHERE strpos(name_key, chr(4447)) > 0 OR strpos(name_key, chr(4448)) > 0
             GROUP BY replace(replace(name_key, chr(4447), ''), chr(4448), ''))
  AND replace(replace(name_key, chr(4447), ''), chr(4448), '') <> ''
  AND NOT EXISTS (SELECT 1 FROM users o
                  WHERE o.name_key = replace(replace(users.name_key, chr(4447), ''), chr(4448), ''));
