-- Issue 21: what learning from outcomes needs to know about how each proposal came to be shown. An employer looks at
-- the top of a shortlist more than at its bottom, and a model retrained only on the candidates it already chose to
-- show never learns about people it underrates. So every proposal records
--   rank         (already there) its position in the shortlist as decided: 1 is the top card;
--   exploratory  whether the slot was filled at random from eligible candidates ranked just below the list
--                (Matching:ExplorationShare) rather than by the ranker's order;
--   propensity   the probability with which the candidate was put on the list by that decision: 1 for the ranker's
--                own picks, (exploratory slots) / (eligible candidates drawn from) for an exploratory one. NULL on
--                rows written before this column existed: unknown, and treated by training as a ranker's pick.
-- None of this is personal, and none of it is for employers: jm_employer_api was granted match's columns one by one
-- (1450), so these new columns are not readable by it, and no employer page or API names them.
ALTER TABLE match ADD COLUMN exploratory boolean NOT NULL DEFAULT false;
ALTER TABLE match ADD COLUMN propensity real CHECK (propensity > 0 AND propensity <= 1);
