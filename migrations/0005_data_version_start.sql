-- The data version in force when the history starts: known from this instant on, unknown before it.
INSERT INTO `data_versions` (`version`, `at`)
SELECT `data_version`, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM `catalogue_state` WHERE `id` = 1;
