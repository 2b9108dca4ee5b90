/** The sandbox's company dataset (public facts, rounded figures) and its search. */

export interface CompanySummary {
  readonly id: string;
  readonly name: string;
  readonly country: string;
  readonly registrationNumber: string | null;
  readonly city: string | null;
  readonly status: "Active" | "Dissolved" | "InLiquidation";
}

export interface CompanyDetail extends CompanySummary {
  readonly legalForm: string | null;
  readonly incorporatedOn: string | null;
  readonly website: string | null;
  readonly industry: string | null;
  readonly address: string | null;
  readonly officers: ReadonlyArray<{ readonly name: string; readonly role: string; readonly appointedOn: string | null }>;
  readonly financials: ReadonlyArray<{ readonly year: number; readonly currency: string; readonly revenue: number | null; readonly netIncome: number | null; readonly employees: number | null }>;
  readonly ultimateParent: string | null;
}

type Row = [id: string, name: string, country: string, reg: string | null, city: string, legalForm: string, incorporated: string, website: string, industry: string, ceo: string, currency: string, revenueBn: number, employees: number, parent: string | null];

const ROWS: readonly Row[] = [
  ["0d5f2c3e-7b1a-4e9f-8c6d-2a1b3c4d5e01", "Siemens AG", "DE", "HRB 6684", "München", "Aktiengesellschaft", "1847-10-01", "https://www.siemens.com", "26.11 Manufacture of electronic components", "Roland Busch", "EUR", 75.9, 320000, null],
  ["0d5f2c3e-7b1a-4e9f-8c6d-2a1b3c4d5e02", "Siemens Energy AG", "DE", "HRB 252581", "München", "Aktiengesellschaft", "2020-02-04", "https://www.siemens-energy.com", "27.11 Manufacture of electric motors, generators and transformers", "Christian Bruch", "EUR", 34.5, 96000, null],
  ["0d5f2c3e-7b1a-4e9f-8c6d-2a1b3c4d5e03", "Siemens Healthineers AG", "DE", "HRB 237558", "Erlangen", "Aktiengesellschaft", "2017-12-01", "https://www.siemens-healthineers.com", "26.60 Manufacture of irradiation and electromedical equipment", "Bernd Montag", "EUR", 21.7, 71000, "Siemens AG"],
  ["0d5f2c3e-7b1a-4e9f-8c6d-2a1b3c4d5e04", "Siemens Mobility GmbH", "DE", "HRB 237219", "München", "GmbH", "2018-08-01", "https://www.mobility.siemens.com", "30.20 Manufacture of railway locomotives and rolling stock", "Michael Peter", "EUR", 11.4, 39000, "Siemens AG"],
  ["0d5f2c3e-7b1a-4e9f-8c6d-2a1b3c4d5e05", "SAP SE", "DE", "HRB 719915", "Walldorf", "Societas Europaea", "1972-04-01", "https://www.sap.com", "58.29 Other software publishing", "Christian Klein", "EUR", 34.2, 108000, null],
  ["0d5f2c3e-7b1a-4e9f-8c6d-2a1b3c4d5e06", "BASF SE", "DE", "HRB 6000", "Ludwigshafen", "Societas Europaea", "1865-04-06", "https://www.basf.com", "20.14 Manufacture of other organic basic chemicals", "Markus Kamieth", "EUR", 65.3, 112000, null],
  ["0d5f2c3e-7b1a-4e9f-8c6d-2a1b3c4d5e07", "ASML Holding N.V.", "NL", "17014545", "Veldhoven", "Naamloze vennootschap", "1984-04-01", "https://www.asml.com", "28.99 Manufacture of other special-purpose machinery", "Christophe Fouquet", "EUR", 28.3, 44000, null],
  ["0d5f2c3e-7b1a-4e9f-8c6d-2a1b3c4d5e08", "Nestlé S.A.", "CH", "CHE-105.909.036", "Vevey", "Société anonyme", "1866-01-01", "https://www.nestle.com", "10.89 Manufacture of other food products", "Philipp Navratil", "CHF", 91.4, 270000, null],
  ["0d5f2c3e-7b1a-4e9f-8c6d-2a1b3c4d5e09", "Novo Nordisk A/S", "DK", "24256790", "Bagsværd", "Aktieselskab", "1923-01-01", "https://www.novonordisk.com", "21.20 Manufacture of pharmaceutical preparations", "Maziar Mike Doustdar", "DKK", 290.4, 77000, "Novo Holdings A/S"],
  ["0d5f2c3e-7b1a-4e9f-8c6d-2a1b3c4d5e10", "Unilever PLC", "GB", "00041424", "London", "Public limited company", "1894-06-21", "https://www.unilever.com", "20.41 Manufacture of soap and detergents", "Fernando Fernandez", "EUR", 60.8, 128000, null],
  ["0d5f2c3e-7b1a-4e9f-8c6d-2a1b3c4d5e11", "TotalEnergies SE", "FR", "542 051 180", "Courbevoie", "Societas Europaea", "1924-03-28", "https://totalenergies.com", "06.10 Extraction of crude petroleum", "Patrick Pouyanné", "USD", 195.6, 102000, null],
  ["0d5f2c3e-7b1a-4e9f-8c6d-2a1b3c4d5e12", "Wirecard AG", "DE", "HRB 169227", "Aschheim", "Aktiengesellschaft", "1999-01-01", "https://www.wirecard.com", "66.19 Other activities auxiliary to financial services", "Michael Jaffé (insolvency administrator)", "EUR", 2.8, 5800, null],
];

const DETAILS: ReadonlyMap<string, CompanyDetail> = new Map(
  ROWS.map(([id, name, country, registrationNumber, city, legalForm, incorporatedOn, website, industry, ceo, currency, revenueBn, employees, ultimateParent]) => [
    id,
    {
      id,
      name,
      country,
      registrationNumber,
      city,
      status: name.startsWith("Wirecard") ? "InLiquidation" : "Active",
      legalForm,
      incorporatedOn,
      website,
      industry,
      address: `${city}, ${country}`,
      officers: [{ name: ceo, role: name.startsWith("Wirecard") ? "Insolvency administrator" : "Chief Executive Officer", appointedOn: null }],
      financials: [{ year: 2024, currency, revenue: Math.round(revenueBn * 1e9), netIncome: null, employees }],
      ultimateParent,
    },
  ]),
);

const summaryOf = (d: CompanyDetail): CompanySummary => ({
  id: d.id,
  name: d.name,
  country: d.country,
  registrationNumber: d.registrationNumber,
  city: d.city,
  status: d.status,
});

const fold = (text: string): string => text.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase();

/** Companies whose name contains `name` (case- and accent-insensitive), by name. */
export function searchCompanies(query: { readonly name: string; readonly country?: string | undefined; readonly limit: number }): { data: CompanySummary[]; total: number } {
  const needle = fold(query.name);
  const matches = [...DETAILS.values()]
    .filter((d) => fold(d.name).includes(needle) && (query.country === undefined || d.country === query.country))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { data: matches.slice(0, query.limit).map(summaryOf), total: matches.length };
}

/** A company's full profile, if known. */
export function companyDetail(id: string): CompanyDetail | undefined {
  return DETAILS.get(id.toLowerCase());
}
