-- Candidate views per employer organisation per clock hour (SECURITY.md R8: no scraping). A table, not memory:
-- the web tier runs on several nodes and the limit is per organisation, not per node.
CREATE TABLE candidate_view_window (
    organisation_id uuid NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    hour_start timestamptz NOT NULL,
    views int NOT NULL DEFAULT 0,
    PRIMARY KEY (organisation_id, hour_start)
);
