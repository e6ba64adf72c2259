/*
 * The part of the Node-RED editor's API (window.RED) that the community
 * editor uses, typed as the editor (4.x) behaves. jQuery's editableList
 * widget comes typed from @types/node-red__editor-client; its RED type differs
 * from the running editor in what we use (tabs' onchange gets the tab object,
 * addTab's index is optional), so those few calls are declared here.
 */

/** editableList's insertItemAt, which the widget has and its typings lack. */
export function insertItemAt(list: JQuery, data: object, index: number): void {
  (list.editableList as unknown as (action: "insertItemAt", data: object, index: number) => void)("insertItemAt", data, index);
}

export interface Tabs {
  addTab(tab: { id: string; label: string }): void;
  activateTab(id: string): void;
}

export interface EditorRED {
  tabs: { create(opts: { id: string; minimumActiveTabWidth?: number; onchange: (tab: { id: string }) => void }): Tabs };
  tray: { resize(): void };
  notify(text: string, type: "success" | "error"): void;
  validators: { regex(re: RegExp): (v: string) => boolean; number(blankAllowed?: boolean): (v: string) => boolean };
}

/** A node in the editor while its dialog is open: its properties plus the node's translator. */
export interface EditorNode {
  _(key: string, params?: Record<string, unknown>): string;
  _def: { defaults: Record<string, unknown> };
  [property: string]: unknown;
}
