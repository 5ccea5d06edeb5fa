-- Rows an import refused because their hash is a shape several families write ("<32 hex>:<salt>") and neither the
-- import's hash_dialect nor the row's password_hash_format said which: the summary counts them apart.
ALTER TABLE imports ADD COLUMN ambiguous_hashes integer NOT NULL DEFAULT 0;
