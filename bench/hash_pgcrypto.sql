SELECT crypt('benchmark passphrase ' || :client_id, gen_salt('bf', 10));
