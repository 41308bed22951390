SELECT pwupdate.hash_password('benchmark passphrase ' || :client_id);
