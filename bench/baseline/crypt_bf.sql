-- One bcrypt hash by pgcrypto at the cost :bf_cost.
SELECT crypt('Bench passphrase 1', gen_salt('bf', :bf_cost));
