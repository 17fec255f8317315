-- Every space has the registered configurations (see REGISTERED_CONFIGURATIONS in src/domain/configuration-types.ts);
-- spaces created later get them with their creation batch.
INSERT OR IGNORE INTO `configurations` (`space`, `type`, `identifier`, `name`, `description`, `object`, `context`, `owner`, `removable`, `resettable`, `disabled`, `editor`, `labels`, `tags`, `created_at`, `updated_at`)
SELECT `identifier`, 'http-client', 'default', 'Default HTTP client', 'Used by HTTP subscribers, publishers and transformers that name no client.',
  '{"parameters":{"plugins":[],"authentications":[]}}', '{"registered":true}', NULL, 0, 1, 0, NULL, '[]', '[]',
  strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM `spaces`;
