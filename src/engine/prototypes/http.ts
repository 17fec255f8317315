/**
 * HTTP prototypes: clients (generic + vendor), authentications, OAuth 1 signatures, client plugins,
 * the HTTP and GraphQL transformers, subscribers, publishers and scheduler jobs.
 */
import { authenticationPrototypes } from "../http/authentications";
import { clientPrototypes } from "../http/clients";
import { oauth1Prototypes } from "../http/oauth1";
import { pluginPrototypes } from "../http/plugins";
import { publisherPrototypes } from "../http/publishers";
import { schedulerPrototypes } from "../http/scheduler";
import { subscriberPrototypes } from "../http/subscribers";
import { transformerPrototypes } from "../http/transformers";
import type { Prototype } from "../types";

export const prototypes: Prototype[] = [
  ...clientPrototypes,
  ...authenticationPrototypes,
  ...oauth1Prototypes,
  ...pluginPrototypes,
  ...transformerPrototypes,
  ...subscriberPrototypes,
  ...publisherPrototypes,
  ...schedulerPrototypes,
];
