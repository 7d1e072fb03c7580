# Models arrive with the grant-round and initiative issues.
