/*
 * The community editor's browser entry: zev-community.html loads this module
 * from the package's resources/ folder and registers the node type with what
 * it puts on window.ZevCommunityEditor.
 */
import { defaults, label, oneditcancel, oneditprepare, oneditresize, oneditsave } from "./dialog.js";

const editor = { defaults, label, oneditprepare, oneditsave, oneditcancel, oneditresize };

declare global {
  interface Window {
    ZevCommunityEditor: typeof editor;
  }
}

window.ZevCommunityEditor = editor;
