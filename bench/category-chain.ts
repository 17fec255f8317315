/**
 * The category conversion chain of the akeneo-to-spryker-category-sync template, written by hand:
 * what the engine must match (checked equal first) and be compared with.
 */
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
