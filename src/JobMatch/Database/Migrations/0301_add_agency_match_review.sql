-- Case agencies decide whether their case workers review each proposed match before an employer sees it (on by default).
ALTER TABLE organisation ADD COLUMN requires_match_review boolean NOT NULL DEFAULT true;
