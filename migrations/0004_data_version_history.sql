CREATE TABLE `data_versions` (
	`version` integer PRIMARY KEY NOT NULL,
	`at` text NOT NULL
);
