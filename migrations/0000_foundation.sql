CREATE TABLE `audit_trail` (
	`identifier` text PRIMARY KEY NOT NULL,
	`space` text,
	`user` text,
	`ip_address` text,
	`category` text NOT NULL,
	`action` text NOT NULL,
	`message` text NOT NULL,
	`request` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_trail_space_created` ON `audit_trail` (`space`,`created_at`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `space_preferences` (
	`space` text NOT NULL,
	`email` text NOT NULL,
	`preferences` text DEFAULT '{}' NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`space`, `email`)
);
--> statement-breakpoint
CREATE TABLE `space_users` (
	`space` text NOT NULL,
	`email` text NOT NULL,
	`roles` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`space`, `email`),
	FOREIGN KEY (`space`) REFERENCES `spaces`(`identifier`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `space_users_email` ON `space_users` (`email`);--> statement-breakpoint
CREATE TABLE `spaces` (
	`identifier` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`purpose` text DEFAULT 'prod' NOT NULL,
	`workers` integer DEFAULT 0 NOT NULL,
	`status` text DEFAULT 'new' NOT NULL,
	`is_locked` integer DEFAULT 0 NOT NULL,
	`terms_agreed` integer DEFAULT 0 NOT NULL,
	`create_user` text,
	`expire_date` text,
	`cancel_user` text,
	`cancel_date` text,
	`sync_status` text,
	`sync_message` text,
	`synced_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `system_administrators` (
	`email` text PRIMARY KEY NOT NULL,
	`roles` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `table_filters` (
	`identifier` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`table_key` text NOT NULL,
	`name` text NOT NULL,
	`filter` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `table_filters_email` ON `table_filters` (`email`);--> statement-breakpoint
CREATE TABLE `tokens` (
	`identifier` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text,
	`last_used` text
);
--> statement-breakpoint
CREATE INDEX `tokens_email` ON `tokens` (`email`);--> statement-breakpoint
CREATE TABLE `users` (
	`email` text PRIMARY KEY NOT NULL,
	`preferences` text DEFAULT '{}' NOT NULL,
	`terms_accepted_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
