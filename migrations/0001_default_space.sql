-- The `default` space exists from the start and cannot be deleted: it is the space every call uses without `?space=`.
INSERT OR IGNORE INTO `spaces` (`identifier`, `name`, `description`, `purpose`, `workers`, `status`, `created_at`, `updated_at`)
VALUES ('default', 'Default', 'The default space', 'prod', 1, 'active', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
