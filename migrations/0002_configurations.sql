CREATE TABLE `configuration_history` (
	`ulid` text PRIMARY KEY NOT NULL,
	`space` text NOT NULL,
	`type` text NOT NULL,
	`identifier` text NOT NULL,
	`action` text NOT NULL,
	`name` text NOT NULL,
	`description` text NOT NULL,
	`object` text NOT NULL,
	`disabled` integer NOT NULL,
	`labels` text NOT NULL,
	`editor` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `configuration_history_config` ON `configuration_history` (`space`,`type`,`identifier`);--> statement-breakpoint
CREATE TABLE `configurations` (
	`space` text NOT NULL,
	`type` text NOT NULL,
	`identifier` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`object` text NOT NULL,
	`context` text DEFAULT '{}' NOT NULL,
	`owner` text,
	`removable` integer DEFAULT true NOT NULL,
	`resettable` integer DEFAULT false NOT NULL,
	`disabled` integer DEFAULT false NOT NULL,
	`editor` text,
	`labels` text DEFAULT '[]' NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`space`, `type`, `identifier`)
);
--> statement-breakpoint
CREATE INDEX `configurations_owner` ON `configurations` (`space`,`owner`);--> statement-breakpoint
CREATE TABLE `environment_variables` (
	`space` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`value` text NOT NULL,
	`encrypted` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`space`, `name`)
);
--> statement-breakpoint
CREATE TABLE `favourites` (
	`id` text NOT NULL,
	`space` text NOT NULL,
	`email` text NOT NULL,
	`type` text NOT NULL,
	`identifier` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`space`, `email`, `type`, `identifier`)
);
