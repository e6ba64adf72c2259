import { MAX_XML_DEPTH, XmlTooDeep } from "../util/xml-depth";

/**
 * A small element tree over saxes (a maintained, well-formedness checking
 * parser): camt files are a few MB at most, and a tree keyed by local names
 * reads a document whatever namespace prefix the bank chose.
 */
export interface XmlElement {
  /** Local name, without prefix. */
  name: string;
  /** Namespace URI ("" when none). */
  ns: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = "XmlSyntaxError";
  }
}

export function parseXml(xml: string): XmlElement {
  // saxes loads at the first document, not with the payment commands on Node-RED's main thread (decision 0143)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SaxesParser } = require("saxes") as typeof import("saxes");
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let failure: XmlSyntaxError | undefined;
  parser.on("error", (e) => {
    failure ??= new XmlSyntaxError(e.message, parser.line);
  });
  parser.on("opentag", (tag) => {
    if (stack.length >= MAX_XML_DEPTH) throw new XmlTooDeep();
    const attrs: Record<string, string> = {};
    for (const a of Object.values(tag.attributes)) if (!a.prefix && a.local !== "xmlns") attrs[a.local] = a.value;
    const el: XmlElement = { name: tag.local, ns: tag.uri, attrs, children: [], text: "" };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else root ??= el;
    stack.push(el);
  });
  const onText = (t: string): void => {
    const cur = stack[stack.length - 1];
    if (cur) cur.text += t;
  };
  parser.on("text", onText);
  parser.on("cdata", onText);
  parser.on("closetag", () => {
    const el = stack.pop();
    if (el) el.text = el.text.trim();
  });
  try {
    parser.write(xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml).close();
  } catch (e) {
    failure ??= new XmlSyntaxError((e as Error).message, parser.line);
  }
  if (failure) throw failure;
  if (!root) throw new XmlSyntaxError("no root element", 1);
  return root;
}

/** The first child with this local name. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

export function children(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}

/** Follows a path of local names ("Acct/Id/IBAN"), taking the first match at each step. */
export function at(el: XmlElement | undefined, path: string): XmlElement | undefined {
  let cur = el;
  for (const step of path.split("/")) {
    cur = child(cur, step);
    if (!cur) return undefined;
  }
  return cur;
}

/** The trimmed text at `path`, or undefined when the element is absent or empty. */
export function textAt(el: XmlElement | undefined, path: string): string | undefined {
  const t = at(el, path)?.text;
  return t ? t : undefined;
}
