-- Fills each trial's phase, cell source and route bit sets (bit i: the vocabulary's i-th value, as
-- src/domain/facet-masks.ts writes them) from its phases and its cell-therapy arms.
UPDATE `trials` SET
  `phase_mask` = (SELECT coalesce(sum(DISTINCT CASE p.phase WHEN 'EARLY_PHASE1' THEN 1 WHEN 'PHASE1' THEN 2 WHEN 'PHASE2' THEN 4 WHEN 'PHASE3' THEN 8 WHEN 'PHASE4' THEN 16 WHEN 'NA' THEN 32 END), 0)
    FROM `trial_phases` p WHERE p.trial_id = `trials`.`id`),
  `cell_source_mask` = (SELECT coalesce(sum(DISTINCT CASE a.cell_source WHEN 'BONE_MARROW' THEN 1 WHEN 'ADIPOSE' THEN 2 WHEN 'UMBILICAL_CORD' THEN 4 WHEN 'CORD_BLOOD' THEN 8 WHEN 'PLACENTA' THEN 16 WHEN 'DENTAL_PULP' THEN 32 WHEN 'PERIPHERAL_BLOOD' THEN 64 WHEN 'IPSC' THEN 128 WHEN 'EMBRYONIC' THEN 256 WHEN 'OTHER' THEN 512 WHEN 'NOT_REPORTED' THEN 1024 END), 0)
    FROM `arms` a WHERE a.trial_id = `trials`.`id` AND a.cell_source IS NOT NULL),
  `route_mask` = (SELECT coalesce(sum(DISTINCT CASE a.route WHEN 'INTRAVENOUS' THEN 1 WHEN 'INTRAOSSEOUS' THEN 2 WHEN 'INTRA_ARTERIAL' THEN 4 WHEN 'LOCAL_INJECTION' THEN 8 WHEN 'SURGICAL_IMPLANT' THEN 16 WHEN 'OTHER' THEN 32 WHEN 'NOT_REPORTED' THEN 64 END), 0)
    FROM `arms` a WHERE a.trial_id = `trials`.`id` AND a.cell_source IS NOT NULL);
