/**
 * How deep the XML files we read (ISO 20022 camt, SDAT-CH) may nest their
 * elements. Real documents stay below 20 levels. saxes resolves every
 * element's namespace through the elements open around it, so its time
 * grows with the square of the depth: a 1.4 MB file of 200,000 nested
 * elements kept it busy for minutes. A parser stops at the first element
 * deeper than this, with the text below.
 */
export const MAX_XML_DEPTH = 64;

export class XmlTooDeep extends Error {
  constructor() {
    super(`elements nested deeper than ${MAX_XML_DEPTH} levels (a camt or SDAT-CH document needs fewer than 20)`);
    this.name = "XmlTooDeep";
  }
}
