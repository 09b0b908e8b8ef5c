-- Reference data loaded from data/*.csv at start-up (upserted by code; codes never change once shipped).
CREATE TABLE sector (
    code text PRIMARY KEY,
    name_en text NOT NULL,
    name_bn text NOT NULL,
    min_monthly_wage_bdt int
);

CREATE TABLE skill (
    -- A small integer id so that seekers' and vacancies' skills fit in int[] columns with a GIN index.
    id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code text NOT NULL UNIQUE,
    name_en text NOT NULL,
    name_bn text NOT NULL,
    sector_code text NOT NULL REFERENCES sector (code),
    isco08 text NOT NULL CHECK (isco08 ~ '^[0-9]{4}$')
);

CREATE INDEX ix_skill_sector ON skill (sector_code);

CREATE TABLE upazila (
    code text PRIMARY KEY,
    name_en text NOT NULL,
    name_bn text NOT NULL,
    lat double precision NOT NULL,
    lon double precision NOT NULL
);

CREATE TABLE skill_level (
    level int PRIMARY KEY CHECK (level BETWEEN 1 AND 4),
    name_en text NOT NULL,
    name_bn text NOT NULL,
    descriptor_en text NOT NULL,
    descriptor_bn text NOT NULL
);

CREATE TABLE education_level (
    level int PRIMARY KEY CHECK (level BETWEEN 0 AND 5),
    name_en text NOT NULL,
    name_bn text NOT NULL
);
