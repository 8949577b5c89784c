-- Fills the dose and baseline columns of every stored trial from its served document, which holds
-- them already (an arm's position is its index in the document's arms).
UPDATE `arms` SET
  `cells_per_kg` = json_extract(d.document, '$.arms[' || `arms`.`position` || '].dose.cellsPerKg'),
  `cells` = json_extract(d.document, '$.arms[' || `arms`.`position` || '].dose.cells'),
  `administrations` = json_extract(d.document, '$.arms[' || `arms`.`position` || '].dose.administrations')
FROM `trial_documents` d WHERE d.trial_id = `arms`.`trial_id`;
--> statement-breakpoint
UPDATE `trials` SET
  `baseline_mean_age` = json_extract(d.document, '$.baseline.meanAge'),
  `baseline_mean_t_score` = json_extract(d.document, '$.baseline.meanTScore')
FROM `trial_documents` d WHERE d.trial_id = `trials`.`id`;
