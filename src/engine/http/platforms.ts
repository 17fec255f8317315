/**
 * `GET /platforms`: the systems this installation connects to out of the box, derived from the
 * vendor HTTP client prototypes (plus Magento 2, reached with the generic client and the
 * `magento-2-integration-oauth1` authentication).
 */
import { vendorClients, type PlatformInfo } from "./clients";

export type Platform = PlatformInfo;

const MAGENTO: PlatformInfo = {
  identifier: "magento-2",
  name: "Adobe Commerce / Magento 2",
  vendor: "Adobe",
  categories: ["E-commerce"],
  logo: "https://business.adobe.com/favicon.ico",
  editions: ["Magento Open Source", "Adobe Commerce"],
  extensions: [],
  apis: [
    {
      identifier: "magento-2-rest-api",
      name: "Magento 2 REST API",
      type: "REST",
      authentication: "Integration OAuth 1.0a (magento-2-integration-oauth1 with oauth1-hmac-sha256)",
      documentation: "https://developer.adobe.com/commerce/webapi/rest/",
    },
  ],
};

/** Every platform, sorted by identifier; each call returns fresh copies. */
export function platforms(): Platform[] {
  return [...vendorClients.map((c) => c.platform), MAGENTO]
    .map((p) => structuredClone(p))
    .sort((a, b) => a.identifier.localeCompare(b.identifier));
}
