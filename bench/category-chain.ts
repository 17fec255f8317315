/**
 * The category conversion chain of the akeneo-to-spryker-category-sync template, written by hand:
 * what the engine must match (checked equal first) and be compared with.
 */
import { deleteIn, getPath, hasPath, setIn, withoutKeys } from "../src/engine/paths";
import { cloneData } from "../src/engine/steps";

export interface AkeneoCategory {
  code: string;
  parent: string | null;
  updated: string;
  labels: Record<string, string>;
  _links: unknown;
}

const KEEP_LOCALES = new Set(["en_US", "de_DE"]);

export function convertCategory(category: AkeneoCategory) {
  const localizedAttributes = [];
  for (const [locale, name] of Object.entries(category.labels)) {
    if (!KEEP_LOCALES.has(locale)) continue;
    localizedAttributes.push({ locale, name, metaTitle: name, metaDescription: name, metaKeywords: name });
  }
  const hasParent = category.parent !== null && category.parent !== undefined;
  return {
    data: {
      id: category.code,
      type: "categories",
      attributes: {
        stores: ["DE", "AT"],
        isActive: true,
        isInMenu: true,
        categoryKey: category.code,
        isClickable: true,
        isSearchable: true,
        localizedAttributes,
        parent: hasParent ? { categoryKey: category.parent, sortOrder: 100 } : { sortOrder: "100", categoryKey: "demoshop" },
      },
    },
  };
}

const LOCALES = ["de_DE", "en_GB", "en_US", "fr_FR", "nl_NL", "es_ES"];

/** Akeneo's REST shape for categories, deterministic. */
export function generateCategories(count: number): AkeneoCategory[] {
  return Array.from({ length: count }, (_, i) => ({
    code: `category_${i}`,
    parent: i % 10 === 0 ? null : `category_${Math.floor(i / 10)}`,
    updated: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
    labels: Object.fromEntries(LOCALES.map((locale) => [locale, `Category ${i} (${locale})`])),
    _links: { self: { href: `https://akeneo.example/api/rest/v1/categories/category_${i}` } },
  }));
}

/**
 * The same chain done the way any step-by-step engine must do it, without an engine: each of the
 * template's ~45 steps as a direct call to the engine's path primitives, on a clone of the input.
 * What it costs over `convertCategory` is the price of executing the template's steps one by one
 * (clone, dynamic keys, rebuilt objects); what the engine costs over it is the engine itself.
 */
export function convertCategoryStepByStep(category: AkeneoCategory): unknown {
  let d = cloneData(category) as Record<string, any>;
  // akeneo-prepare-convert-category-labels-to-localizations: accessor-move labels -> localizations records, value-remover labels
  const localizations: unknown[] = [];
  for (const key of Object.keys(d.labels)) localizations.push({ localeCode: key, translation: d.labels[key] });
  d = setIn(d, ["labels"], withoutKeys(d.labels, () => true)) as Record<string, any>;
  d = setIn(d, ["localizations"], localizations) as Record<string, any>;
  d = deleteIn(d, ["labels"]) as Record<string, any>;
  // akeneo-convert-category-to-alumio-base: value-remover _links, updated
  d = deleteIn(deleteIn(d, ["_links"]), ["updated"]) as Record<string, any>;
  // spryker-convert-alumio-base-category-to-spryker-category: two value-setters
  d = setIn(setIn(d, ["store"], ["DE", "AT"]), ["rootParent"], "demoshop") as Record<string, any>;
  const attributes = { stores: [...d.store], isActive: true, isInMenu: true, categoryKey: d.code, isClickable: true, isSearchable: true };
  d = setIn(d, ["data"], { id: d.code, type: "categories", attributes }) as Record<string, any>;
  // pattern-move localizations, then the conditional on parent
  const moved = getPath(d, ["localizations"]);
  d = setIn(deleteIn(d, ["localizations"], true), ["data", "attributes", "localizedAttributes"], moved) as Record<string, any>;
  if (hasPath(d, ["parent"]) && d.parent !== null) {
    const parent = d.parent;
    d = setIn(deleteIn(d, ["parent"], true), ["data", "attributes", "parent", "categoryKey"], parent) as Record<string, any>;
    d = setIn(d, ["data", "attributes", "parent", "sortOrder"], 100) as Record<string, any>;
  } else {
    d = setIn(d, ["data", "attributes", "parent", "sortOrder"], "100") as Record<string, any>;
    d = setIn(d, ["data", "attributes", "parent", "categoryKey"], d.rootParent) as Record<string, any>;
  }
  // node over the localized attributes: two pattern-moves, three pattern-copies each
  const nodes = getPath(d, ["data", "attributes", "localizedAttributes"]) as Record<string, unknown>[];
  for (let i = 0; i < nodes.length; i++) {
    let node = nodes[i];
    node = setIn(deleteIn(node, ["localeCode"], true), ["locale"], node.localeCode) as Record<string, unknown>;
    node = setIn(deleteIn(node, ["translation"], true), ["name"], node.translation) as Record<string, unknown>;
    for (const key of ["metaTitle", "metaDescription", "metaKeywords"]) node = setIn(node, [key], node.name) as Record<string, unknown>;
    nodes[i] = node;
  }
  // key-filter: every key but data goes
  d = withoutKeys(d, (key) => key !== "data") as Record<string, any>;
  // spryker-filter-category-...: node filter on the locale (PHP unset, last first), then list-values
  for (let i = nodes.length - 1; i >= 0; i--) {
    if (!KEEP_LOCALES.has(nodes[i].locale as string)) d = deleteIn(d, ["data", "attributes", "localizedAttributes", i]) as Record<string, any>;
  }
  const kept = getPath(d, ["data", "attributes", "localizedAttributes"]) as Record<string, unknown>;
  return setIn(d, ["data", "attributes", "localizedAttributes"], Object.values(kept));
}

/**
 * The same steps as straight-line JavaScript on fixed keys: what a compiler from configurations to
 * code would emit for this chain, on a clone of the input. `remove` says how a step removes a key:
 * - `delete`, as the steps say: V8 turns an object that lost a key into a slow dictionary;
 * - `undefined` as a tombstone, which JSON output leaves out: the objects keep their fast shape.
 * A deployed Worker cannot run such code for configurations it receives at runtime (no `eval`, no
 * `new Function`: developers.cloudflare.com/workers/runtime-apis/web-standards; only the vitest pool
 * allows them, for tests), so these bound what compiling could win, not what an engine here can do.
 */
export function straightLine(remove: "delete" | "tombstone") {
  const drop = remove === "delete" ? (o: Record<string, unknown>, key: string) => delete o[key] : (o: Record<string, unknown>, key: string) => (o[key] = undefined);
  return (category: AkeneoCategory): unknown => {
    const d = cloneData(category) as Record<string, any>;
    const localizations: Record<string, unknown>[] = [];
    for (const key in d.labels) localizations.push({ localeCode: key, translation: d.labels[key] });
    d.labels = {};
    d.localizations = localizations;
    drop(d, "labels");
    drop(d, "_links");
    drop(d, "updated");
    d.store = ["DE", "AT"];
    d.rootParent = "demoshop";
    d.data = { id: d.code, type: "categories", attributes: { stores: [...d.store], isActive: true, isInMenu: true, categoryKey: d.code, isClickable: true, isSearchable: true } };
    const moved = d.localizations;
    drop(d, "localizations");
    d.data.attributes.localizedAttributes = moved;
    if (d.parent !== undefined && d.parent !== null) {
      const parent = d.parent;
      drop(d, "parent");
      d.data.attributes.parent = { categoryKey: parent };
      d.data.attributes.parent.sortOrder = 100;
    } else {
      d.data.attributes.parent = { sortOrder: "100" };
      d.data.attributes.parent.categoryKey = d.rootParent;
    }
    for (const node of d.data.attributes.localizedAttributes) {
      const locale = node.localeCode;
      drop(node, "localeCode");
      node.locale = locale;
      const name = node.translation;
      drop(node, "translation");
      node.name = name;
      node.metaTitle = node.name;
      node.metaDescription = node.name;
      node.metaKeywords = node.name;
    }
    for (const key in d) if (key !== "data") drop(d, key);
    const kept: Record<string, unknown>[] = [];
    for (const node of d.data.attributes.localizedAttributes) if (KEEP_LOCALES.has(node.locale)) kept.push(node);
    d.data.attributes.localizedAttributes = kept;
    return d;
  };
}
