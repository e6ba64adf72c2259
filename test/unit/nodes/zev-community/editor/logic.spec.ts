import assert from "node:assert/strict";
import { ID_PATTERN as LIB_ID_PATTERN } from "../../../../../lib/community/validate";
import { LANGUAGES as LIB_LANGUAGES } from "../../../../../lib/model/party";
import { METER_ROLES } from "../../../../../lib/model/meter";
import { CHARGE_RHYTHMS as LIB_RHYTHMS, CHARGE_SCOPES as LIB_SCOPES } from "../../../../../lib/community/types";
import { normalizeCommunity } from "../../../../../lib/community/file-format";
import {
  buildingChoices,
  CHARGE_RHYTHMS,
  CHARGE_SCOPES,
  chargeExtra,
  chargeFromRow,
  type ChargeFields,
  chargeVatChoice,
  checkView,
  chargingIdFromRow,
  defaultUnitBuilding,
  ID_PATTERN,
  issueTarget,
  issueText,
  LANGUAGES,
  matchesFilter,
  meterFromRow,
  METHODS,
  type PlanForm,
  planChargingIdsImport,
  planExtra,
  planFromForm,
  planModes,
  planSummary,
  planTenanciesImport,
  planUnitsImport,
  renameShare,
  requestErrorText,
  ROLES,
  scheduleFromRows,
  sharesFromInputs,
  tabOfPath,
  tenancyChoices,
  tenancyFromRow,
  unitChoices,
  unitFromRow,
  validMinCoverage,
} from "../../../../../nodes/zev-community/editor/logic";
import { missingKeys, translator } from "../../../../support/i18n";

/*
 * The community editor's rules without a browser (nodes/zev-community/editor/logic.ts):
 * what each list row stores, how a CSV import merges into the lists, where a
 * problem of the live check points and how it reads. The dialog around them
 * is driven in Chromium by test/e2e/community-editor.spec.ts.
 */
const LANGS = ["en-US", "de", "fr", "it"];
const en = (): ReturnType<typeof translator> => {
  const t = translator("en-US");
  return (key, params) => t(`zev-community.${key}`, params);
};

const emptyPlan = (over: Partial<PlanForm> = {}): PlanForm => ({
  id: "",
  validFrom: "",
  buildings: [],
  pricesIncludeVat: false,
  method: "flat-rate",
  solar: "",
  battery: "",
  gridMode: "single",
  grid: "",
  gridHt: "",
  gridNt: "",
  gridSchedule: undefined,
  evNormal: "",
  evPriority: "",
  baseFee: "",
  meteringFee: "",
  productName: "",
  productMode: "single",
  productPrice: "",
  productHt: "",
  productNt: "",
  productOwnSchedule: false,
  productSchedule: undefined,
  productBaseFee: "",
  ...over,
});

describe("community editor logic (no browser)", () => {
  it("offers the same community id rule, languages and meter roles as lib/community", () => {
    assert.equal(ID_PATTERN.source, LIB_ID_PATTERN.source);
    assert.deepEqual([...LANGUAGES], [...LIB_LANGUAGES]);
    assert.deepEqual([...ROLES], [...METER_ROLES]);
  });

  it("has a text in every catalog for each role, language, method, weekday and grid mode it offers", () => {
    const keys = [
      ...ROLES.map((r) => `role.${r}`),
      ...LANGUAGES.map((l) => `language.${l}`),
      ...METHODS.map((m) => `method.${m}`),
      ...[1, 2, 3, 4, 5, 6, 7].map((d) => `weekday.${d}`),
      "gridMode.single",
      "gridMode.htnt",
      ...CHARGE_RHYTHMS.map((r) => `chargeRhythm.${r}`),
      ...CHARGE_SCOPES.map((sc) => `chargeScope.${sc}`),
      ...["plan", "incl", "excl"].map((v) => `chargeVat.${v}`),
      "section.charges",
      "hint.charges",
      "button.addCharge",
      "placeholder.selectTenancy",
      ...["units", "tenancies", "chargingIds"].map((k) => `import.${k}Done`),
    ];
    for (const lang of LANGS) {
      const t = translator(lang);
      const before = new Set(missingKeys);
      for (const k of keys) t(`zev-community.${k}`);
      assert.deepEqual(
        [...missingKeys].filter((k) => !before.has(k)),
        [],
        lang,
      );
    }
  });

  it("offers the same charge rhythms and scopes as lib/community", () => {
    assert.deepEqual([...CHARGE_RHYTHMS].sort(), [...LIB_RHYTHMS].sort());
    assert.deepEqual([...CHARGE_SCOPES], [...LIB_SCOPES]);
  });

  const chargeRow = (over: Partial<ChargeFields> = {}): ChargeFields => ({
    id: " meter-rent ",
    label: " Zählermiete ",
    amount: "4,5",
    vat: "",
    rhythm: "monthly",
    from: "2026-01-01",
    to: "",
    scope: "community",
    building: "",
    tenancy: "",
    ...over,
  });

  it("stores a charge as the community file has it: the amount as decimal text, no end when open, no VAT basis when the plan's", () => {
    assert.deepEqual(chargeFromRow(chargeRow(), {}), {
      id: "meter-rent",
      label: "Zählermiete",
      amount: "4.5",
      rhythm: "monthly",
      from: "2026-01-01",
      scope: "community",
    });
    const c = chargeFromRow(chargeRow({ vat: "incl", to: "2027-12-31", scope: "building", building: "A", tenancy: "t7" }), {});
    assert.equal(c.pricesIncludeVat, true);
    assert.equal(c.to, "2027-12-31");
    assert.equal(c.building, "A");
    assert.ok(!("tenancy" in c), "a building charge names no tenancy");
    assert.equal(chargeFromRow(chargeRow({ vat: "excl" }), {}).pricesIncludeVat, false);
  });

  it("gives a one-off charge no last day and a tenancy charge only its tenancy", () => {
    const c = chargeFromRow(chargeRow({ rhythm: "once", to: "2026-12-31", scope: "tenancy", tenancy: "1.1@2026-01-01", building: "A" }), {});
    assert.ok(!("to" in c));
    assert.ok(!("building" in c));
    assert.equal(c.tenancy, "1.1@2026-01-01");
  });

  it("keeps a charge's labels in other languages, which the editor does not show, through an edit", () => {
    const stored = { id: "x", label: "Miete", labels: { fr: "Location" }, amount: "1.00", rhythm: "yearly", from: "2026-01-01", scope: "community" };
    const extra = chargeExtra(stored);
    assert.deepEqual(extra, { labels: { fr: "Location" } });
    const saved = chargeFromRow(chargeRow({ label: "Zählermiete neu" }), extra);
    assert.deepEqual(saved.labels, { fr: "Location" });
    assert.equal(saved.label, "Zählermiete neu");
    assert.equal(chargeVatChoice({ pricesIncludeVat: true }), "incl");
    assert.equal(chargeVatChoice({ pricesIncludeVat: false }), "excl");
    assert.equal(chargeVatChoice({}), "");
  });

  it("names a tenancy in the charge select by the id the community gives it (its own, else unit@from)", () => {
    const choices = tenancyChoices([
      { id: "t7", unit: "1.1", from: "2026-01-01", name: "Muster" },
      { unit: "1.2", from: "2026-03-01", name: "Rossi" },
      { unit: "", from: "2026-03-01", name: "incomplete" },
    ]);
    assert.deepEqual(
      choices.map((c) => c[0]),
      ["t7", "1.2@2026-03-01"],
    );
    const def = normalizeCommunity({ tenancies: [{ unit: "1.2", from: "2026-03-01", tenant: {} }] });
    assert.equal(def.tenancies[0]!.id, choices[1]![0], "the same id as the community file's default");
  });

  it("points a charge's problem at its row on the tariffs tab", () => {
    assert.deepEqual(issueTarget("charges[2].amount", { buildings: [], units: [] }), { list: "charges", index: 2 });
    assert.equal(tabOfPath("charges[0].tenancy"), "zev-community-tab-tariffs");
  });

  it("reads a unit's floor area as a number (decimal comma too), keeps other text for the check and drops a blank", () => {
    assert.deepEqual(unitFromRow({ building: "A", id: " 1 ", label: " Wohnung 1 ", floorArea: "72,5" }), {
      building: "A",
      id: "1",
      label: "Wohnung 1",
      floorArea: 72.5,
    });
    assert.equal(unitFromRow({ building: "A", id: "1", label: "", floorArea: "70" }).floorArea, 70);
    assert.equal(unitFromRow({ building: "A", id: "1", label: "", floorArea: "gross" }).floorArea, "gross");
    assert.ok(!("floorArea" in unitFromRow({ building: "A", id: "1", label: "", floorArea: "  " })));
  });

  it("stores a tenancy trimmed with an upper-case country, its id first and only when it has one", () => {
    const fields = {
      unit: "1",
      name: " Anna ",
      street: " Seestrasse ",
      buildingNumber: "5 ",
      postalCode: " 6300",
      town: "Zug ",
      country: "ch",
      email: " a@b.ch ",
      language: "de",
      from: "2026-01-01",
      to: "",
    };
    const withId = tenancyFromRow(fields, "t-1");
    assert.deepEqual(Object.keys(withId)[0], "id");
    assert.deepEqual(withId, {
      id: "t-1",
      unit: "1",
      name: "Anna",
      street: "Seestrasse",
      buildingNumber: "5",
      postalCode: "6300",
      town: "Zug",
      country: "CH",
      email: "a@b.ch",
      language: "de",
      from: "2026-01-01",
      to: "",
    });
    assert.ok(!("id" in tenancyFromRow(fields, undefined)));
  });

  it("stores a meter's and a charging id's optional fields only when they are given", () => {
    assert.deepEqual(meterFromRow({ id: " m1 ", role: "unit", unit: "", label: " ", meteringPoint: "" }), { id: "m1", role: "unit" });
    assert.deepEqual(meterFromRow({ id: "m1", role: "unit", unit: "1", label: "Zähler", meteringPoint: " CH100 " }), {
      id: "m1",
      role: "unit",
      unit: "1",
      label: "Zähler",
      meteringPoint: "CH100",
    });
    assert.deepEqual(chargingIdFromRow({ id: " RFID-1 ", unit: "", label: "" }), { id: "RFID-1", unit: "" });
    assert.deepEqual(chargingIdFromRow({ id: "RFID-1", unit: "1", label: "Tag" }), { id: "RFID-1", unit: "1", label: "Tag" });
  });

  it("offers each building and unit once, the first row of an id winning, blanks left out", () => {
    assert.deepEqual(
      buildingChoices([
        { id: "A", name: "Seestrasse 5" },
        { id: "", name: "x" },
        { id: "A", name: "again" },
        { id: "B", name: "B" },
      ]),
      [
        ["A", "A – Seestrasse 5"],
        ["B", "B"],
      ],
    );
    assert.deepEqual(unitChoices([{ building: "A", id: "1", label: "" }]), [["1", "1"]]);
  });

  it("starts a new unit in its own building, else the row above's, else the only building", () => {
    const one = buildingChoices([{ id: "A", name: "" }]);
    const two = buildingChoices([
      { id: "A", name: "" },
      { id: "B", name: "" },
    ]);
    assert.equal(defaultUnitBuilding("B", "A", one), "B");
    assert.equal(defaultUnitBuilding(undefined, "B", one), "B");
    assert.equal(defaultUnitBuilding(undefined, "", one), "A");
    assert.equal(defaultUnitBuilding(undefined, undefined, two), undefined);
  });

  it("filters tenancies by any of their texts, ignoring case", () => {
    assert.equal(matchesFilter("", ["x"]), true);
    assert.equal(matchesFilter(" meier ", ["1", "Anna Meier", "Zug"]), true);
    assert.equal(matchesFilter("basel", ["1", "Anna Meier", "Zug"]), false);
  });

  it("stores custom shares as numbers when they are numbers, drops blanks, and carries a renamed unit's share", () => {
    assert.deepEqual(sharesFromInputs({ "1": "2,5", "2": " ", "3": "viel" }), { "1": 2.5, "3": "viel" });
    const shares: Record<string, string> = { "1": "3", "2": "4" };
    renameShare(shares, "1", "1a");
    assert.deepEqual(shares, { "2": "4", "1a": "3" });
    renameShare(shares, "2", "1a"); // the new id has a share already: nothing moves
    assert.deepEqual(shares, { "2": "4", "1a": "3" });
  });

  it("reads a schedule with padded clock times and NT days; an empty one is no schedule", () => {
    assert.deepEqual(scheduleFromRows([{ days: [1, 2], from: "7:00", to: " 20:00 " }], "2026-12-25; 2026-12-26"), {
      ht: [{ days: [1, 2], from: "07:00", to: "20:00" }],
      ntDays: ["2026-12-25", "2026-12-26"],
    });
    assert.deepEqual(scheduleFromRows([{ days: [6], from: "07:00", to: "13:00" }], " "), { ht: [{ days: [6], from: "07:00", to: "13:00" }] });
    assert.equal(scheduleFromRows([], ""), undefined);
  });

  it("stores a price plan with the shown mode's prices only, a standard product only when given, and its unknown fields kept", () => {
    const schedule = { ht: [{ days: [1], from: "07:00", to: "20:00" }] };
    const single = planFromForm(
      emptyPlan({ id: " p1 ", validFrom: "2026-01-01", solar: "0,20", grid: "0.30", gridHt: "0.35", gridSchedule: schedule, baseFee: "5" }),
      {
        note: { nested: [1] },
      },
    );
    assert.deepEqual(single, {
      id: "p1",
      validFrom: "2026-01-01",
      pricesIncludeVat: false,
      method: "flat-rate",
      solarPerKWh: "0.20",
      gridPerKWh: "0.30",
      baseFeePerMonth: "5",
      note: { nested: [1] },
    });
    const htnt = planFromForm(
      emptyPlan({
        gridMode: "htnt",
        grid: "0.30",
        gridHt: "0.35",
        gridNt: "0.25",
        gridSchedule: schedule,
        productMode: "htnt",
        productHt: "0.3",
        productOwnSchedule: true,
        productSchedule: schedule,
      }),
      {},
    );
    assert.equal(htnt.gridPerKWh, undefined);
    assert.equal(htnt.gridHtPerKWh, "0.35");
    assert.deepEqual(htnt.gridSchedule, schedule);
    assert.deepEqual(htnt.standardProduct, { htPerKWh: "0.3", schedule });
    assert.equal(planFromForm(emptyPlan(), {}).standardProduct, undefined);
    // the fields the editor shows are not "extra"; a shown field is not overwritten by a stale extra
    assert.deepEqual(planExtra({ id: "p", solarPerKWh: "0.2", comment: "x" }), { comment: "x" });
    assert.equal(planFromForm(emptyPlan({ id: "new" }), { id: "old" }).id, "new");
  });

  it("shows a stored plan in HT/NT when it has HT/NT prices or a schedule and no single price", () => {
    assert.deepEqual(planModes({ gridHtPerKWh: "0.3" }), { grid: "htnt", product: "single" });
    assert.deepEqual(planModes({ gridHtPerKWh: "0.3", gridPerKWh: "0.2" }), { grid: "single", product: "single" });
    assert.deepEqual(planModes({ gridSchedule: { ht: [] }, standardProduct: { ntPerKWh: "0.2" } }), { grid: "htnt", product: "htnt" });
  });

  it("summarises a folded plan in the editor's language", () => {
    const t = en();
    assert.equal(
      planSummary(t, { buildings: [], solar: "0,2", gridMode: "single", grid: "0.3", gridHt: "", gridNt: "" }),
      "whole community · solar 0.2 · grid 0.3",
    );
    const de = translator("de");
    const s = planSummary((k, p) => de(`zev-community.${k}`, p), {
      buildings: ["A", "B"],
      solar: "",
      gridMode: "htnt",
      grid: "0.3",
      gridHt: "0.35",
      gridNt: "",
    });
    assert.match(s, /A, B/);
    assert.match(s, /0\.35/);
    assert.match(s, /\?/);
    assert.doesNotMatch(s, /0\.3 /);
  });

  it("imports units.csv: new buildings named by their id, an unnamed one gets its name, listed units updated in place, the rest added", () => {
    const plan = planUnitsImport(
      [
        { id: "A", name: "" },
        { id: "B", name: "Bergweg" },
      ],
      [
        { building: "A", id: "1", label: "old" },
        { building: "A", id: "2", label: "two" },
      ],
      [
        { id: "A", name: "Seestrasse 5", units: [{ id: "1", label: "Wohnung 1", floorArea: 70 }] },
        { id: "B", name: "Other name", units: [] },
        { id: "C", units: [{ id: "3" }, { id: "4", label: "Laden", floorArea: "55" }] },
      ],
    );
    assert.deepEqual(plan.buildings, [
      { kind: "update", index: 0, data: { id: "A", name: "Seestrasse 5" } },
      { kind: "add", data: { id: "C", name: "C" } },
    ]);
    assert.deepEqual(plan.units, [
      { kind: "update", index: 0, data: { building: "A", id: "1", label: "Wohnung 1", floorArea: "70" } },
      { kind: "add", data: { building: "C", id: "3", label: "", floorArea: "" } },
      { kind: "add", data: { building: "C", id: "4", label: "Laden", floorArea: "55" } },
    ]);
    assert.equal(plan.count, 3);
  });

  it("imports tenancies.csv: a listed id is replaced in its place, the others are added, an open end is empty", () => {
    const edits = planTenanciesImport(
      [undefined, "t-2"],
      [
        {
          id: "t-2",
          unit: "2",
          from: "2026-02-01",
          to: null,
          tenant: { name: "Beat", language: "fr", address: { street: "S", postalCode: "6300", town: "Zug", country: "CH" } },
        },
        { unit: "1", from: "2026-03-01", tenant: { name: "Carla" } },
      ],
    );
    assert.equal(edits[0]!.kind, "update");
    assert.equal((edits[0] as { index: number }).index, 1);
    assert.deepEqual(edits[0]!.data, {
      id: "t-2",
      unit: "2",
      from: "2026-02-01",
      to: "",
      name: "Beat",
      email: undefined,
      language: "fr",
      street: "S",
      buildingNumber: undefined,
      postalCode: "6300",
      town: "Zug",
      country: "CH",
    });
    assert.equal(edits[1]!.kind, "add");
    assert.equal(edits[1]!.data.name, "Carla");
  });

  it("imports charging ids: a listed id (any case, as the runtime compares them) is updated, others added", () => {
    const edits = planChargingIdsImport(
      [" rfid-1 ", "RFID-2"],
      [
        { id: "RFID-1", unit: "3", label: "Tag" },
        { id: "rfid-9", unit: "1" },
      ],
    );
    assert.deepEqual(edits, [
      { kind: "update", index: 0, data: { id: "RFID-1", unit: "3", label: "Tag" } },
      { kind: "add", data: { id: "rfid-9", unit: "1", label: "" } },
    ]);
  });

  it("sends a problem to the tab and row its path names, buildings regrouped as the server does", () => {
    assert.equal(tabOfPath("creditor.iban"), "zev-community-tab-parties");
    assert.equal(tabOfPath("owner.address.town"), "zev-community-tab-parties");
    assert.equal(tabOfPath("buildings[0].units[1].id"), "zev-community-tab-units");
    assert.equal(tabOfPath("tenancies[2].from"), "zev-community-tab-tenancies");
    assert.equal(tabOfPath("chargingIds[0]"), "zev-community-tab-meters");
    assert.equal(tabOfPath("billing.customShares.1"), "zev-community-tab-tariffs");
    assert.equal(tabOfPath("timeZone"), "zev-community-tab-community");
    assert.equal(tabOfPath(undefined), "zev-community-tab-community");
    const cfg = {
      buildings: [{ id: "B", name: "" }],
      units: [
        { building: "X", id: "x1", label: "" },
        { building: "B", id: "b1", label: "" },
        { building: "X", id: "x2", label: "" },
      ],
    };
    // the server's buildings: B (listed), then X (only named by units)
    assert.deepEqual(issueTarget("buildings[0].name", cfg), { list: "buildings", index: 0 });
    assert.equal(issueTarget("buildings[1].name", cfg), null);
    assert.deepEqual(issueTarget("buildings[1].units[1].id", cfg), { list: "units", index: 2 });
    assert.deepEqual(issueTarget("buildings[0].units[0]", cfg), { list: "units", index: 1 });
    assert.deepEqual(issueTarget("tenancies[3].to", cfg), { list: "tenancies", index: 3 });
    assert.deepEqual(issueTarget("tariffs[1].gridPerKWh", cfg), { list: "tariffs", index: 1 });
    assert.deepEqual(issueTarget("billing.customShares.u 1", cfg), { share: "u 1" });
    assert.equal(issueTarget("creditor.iban", cfg), null);
  });

  it("shows a problem in the editor's language, the English message when its code has no text", () => {
    const de = translator("de");
    const t = (k: string, p?: Record<string, unknown>): string => de(`zev-community.${k}`, p);
    const known = issueText({ path: "name", code: "community.nameRequired", message: "name is required", params: {} }, t);
    assert.notEqual(known, "name is required");
    assert.doesNotMatch(known, /validation\./);
    assert.equal(issueText({ path: "x", code: "no.such.code", message: "the English text" }, t), "the English text");
    assert.equal(issueText({ path: "x", message: "no code" }, t), "no code");
  });

  it("lays out the check's result: no problems (and the note on CSV files), or a count and one line per problem", () => {
    const t = en();
    assert.deepEqual(checkView([], {}, t), { ok: true, text: "No problems." });
    assert.deepEqual(checkView([], { unitsFile: "zev/units.csv" }, t), {
      ok: true,
      text: "No problems. (The CSV files on the Files tab are only read on deploy.)",
    });
    const issue = { path: "tenancies[0].name", code: "party.nameRequired", message: "name is required", params: {} };
    const view = checkView([issue, { message: "somewhere" }], {}, t);
    assert.equal(view.ok, false);
    if (view.ok) return;
    assert.equal(view.heading, "2 problem(s):");
    assert.deepEqual(
      view.items.map((i) => [i.tab, i.path, i.text]),
      [
        ["Tenancies", "tenancies[0].name", "name is required"],
        ["Community", "–", "somewhere"],
      ],
    );
  });

  it("words a failed request: the server's error, else the status, else that Node-RED did not answer", () => {
    const t = en();
    assert.equal(requestErrorText({ responseJSON: { error: "no CSV text received" }, status: 400 }, t), "no CSV text received");
    assert.equal(requestErrorText({ status: 500, statusText: "Internal Server Error" }, t), "500 Internal Server Error");
    assert.equal(requestErrorText({ status: 0 }, t), "Node-RED did not answer");
  });

  it("accepts a minimum coverage from 0 to 100 (decimal comma too) or none", () => {
    for (const ok of ["", "95", "99,5", "0", "100"]) assert.equal(validMinCoverage(ok), true, ok);
    for (const bad of ["101", "-1", "abc", "9 5"]) assert.equal(validMinCoverage(bad), false, bad);
  });
});
