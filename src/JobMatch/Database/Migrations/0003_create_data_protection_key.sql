-- ASP.NET Core Data Protection key ring, shared by every app node on this database so that
-- a cookie issued by one node is accepted by the others.
CREATE TABLE data_protection_key (
    friendly_name text PRIMARY KEY,
    xml text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
