import type { AlertSeverity } from "../model/alert";
import type { Language } from "../model/party";

/*
 * The alert codes of the data and device nodes, their severity and the
 * params their texts use (docs/alerts.md). Texts are in the community's
 * language (its owner's), not the editor's: an alert is read by the
 * building's operator, at night, in an e-mail.
 */

export const ALERT_CODES = ["meter-silent", "coverage-low", "rejected-burst", "backup-failed", "device-silent"] as const;
export type AlertCode = (typeof ALERT_CODES)[number];

export interface AlertSpec {
  severity: AlertSeverity;
  /** The params the code's texts may use besides `since` and `at` (the local times of the incident's start and of the message). */
  params: readonly string[];
  /** Params shown as a percentage (their value is a share 0..1). */
  percent?: readonly string[];
}

export const ALERT_SPECS: Record<AlertCode, AlertSpec> = {
  "meter-silent": { severity: "warning", params: ["meter", "minutes"] },
  "coverage-low": { severity: "critical", params: ["meter", "month", "coverage", "threshold"], percent: ["coverage", "threshold"] },
  "rejected-burst": { severity: "warning", params: ["meter", "count", "minutes"] },
  "backup-failed": { severity: "warning", params: ["folder"] },
  "device-silent": { severity: "warning", params: ["device", "minutes"] },
};

/**
 * Per language and code: `raised`, `resolved`, and variants named
 * `<state>-<variant>` (a charger instead of a meter; a month that ended
 * while its coverage was low is not "resolved" by better data).
 */
export type AlertTexts = Record<AlertCode, Record<string, string>>;

const EN: AlertTexts = {
  "meter-silent": {
    raised: "Meter __meter__ has stored no reading since __since__ (__minutes__ min). Check the meter, its connection and its node.",
    resolved: "Meter __meter__ delivers readings again (silent since __since__).",
  },
  "coverage-low": {
    raised:
      "Meter __meter__: only __coverage__ of this month's quarter hours so far (__month__) are measured or interpolated, below the __threshold__ a billing run needs. If it stays so, the billing run of __month__ stops. Import the missing data or repair the meter.",
    resolved: "Meter __meter__: the data of __month__ covers at least __threshold__ again.",
    "resolved-month-over":
      "Meter __meter__: __month__ is over; its data covered less than __threshold__ when last checked. The billing run of __month__ stops until the data is imported or the run is forced.",
  },
  "rejected-burst": {
    raised:
      "Meter __meter__: __count__ values rejected in the last __minutes__ min (since __since__). Look at the meter node's log: a wrong scale, a wrong register or a faulty meter.",
    resolved: "Meter __meter__: values are no longer rejected in bursts (burst since __since__).",
  },
  "backup-failed": {
    raised: "The database backup to __folder__ failed at __since__. Check the folder (space, permissions); Node-RED's log has the details.",
    resolved: "The database backup to __folder__ works again (failed since __since__).",
  },
  "device-silent": {
    raised: "The device of meter __device__ has delivered no usable value since __since__ (__minutes__ min). Check its power, network and address.",
    resolved: "The device of meter __device__ delivers again (silent since __since__).",
    "raised-charger": "Charger __device__ has not answered since __since__ (__minutes__ min). Check its power, network and address.",
    "resolved-charger": "Charger __device__ answers again (silent since __since__).",
  },
};

const DE: AlertTexts = {
  "meter-silent": {
    raised: "Zähler __meter__ hat seit __since__ keinen Messwert mehr gespeichert (__minutes__ min). Prüfen Sie den Zähler, seine Verbindung und seinen Node.",
    resolved: "Zähler __meter__ liefert wieder Messwerte (still seit __since__).",
  },
  "coverage-low": {
    raised:
      "Zähler __meter__: nur __coverage__ der bisherigen Viertelstunden dieses Monats (__month__) sind gemessen oder interpoliert, weniger als die __threshold__, die eine Abrechnung braucht. Bleibt es so, hält die Abrechnung von __month__ an. Importieren Sie die fehlenden Daten oder reparieren Sie den Zähler.",
    resolved: "Zähler __meter__: die Daten von __month__ decken wieder mindestens __threshold__ ab.",
    "resolved-month-over":
      "Zähler __meter__: __month__ ist vorbei; seine Daten deckten bei der letzten Prüfung weniger als __threshold__ ab. Die Abrechnung von __month__ hält an, bis die Daten importiert sind oder die Abrechnung erzwungen wird.",
  },
  "rejected-burst": {
    raised:
      "Zähler __meter__: __count__ Werte in den letzten __minutes__ min zurückgewiesen (seit __since__). Sehen Sie im Log des Zähler-Nodes nach: eine falsche Skalierung, ein falsches Register oder ein defekter Zähler.",
    resolved: "Zähler __meter__: es werden keine Werte mehr gehäuft zurückgewiesen (gehäuft seit __since__).",
  },
  "backup-failed": {
    raised:
      "Die Datenbanksicherung nach __folder__ ist um __since__ fehlgeschlagen. Prüfen Sie den Ordner (Platz, Rechte); das Log von Node-RED nennt die Einzelheiten.",
    resolved: "Die Datenbanksicherung nach __folder__ funktioniert wieder (fehlgeschlagen seit __since__).",
  },
  "device-silent": {
    raised: "Das Gerät von Zähler __device__ liefert seit __since__ keine verwertbaren Werte mehr (__minutes__ min). Prüfen Sie Strom, Netzwerk und Adresse.",
    resolved: "Das Gerät von Zähler __device__ liefert wieder (still seit __since__).",
    "raised-charger": "Ladestation __device__ antwortet seit __since__ nicht mehr (__minutes__ min). Prüfen Sie Strom, Netzwerk und Adresse.",
    "resolved-charger": "Ladestation __device__ antwortet wieder (still seit __since__).",
  },
};

const FR: AlertTexts = {
  "meter-silent": {
    raised: "Le compteur __meter__ n’a plus enregistré de relevé depuis le __since__ (__minutes__ min). Vérifiez le compteur, sa connexion et son nœud.",
    resolved: "Le compteur __meter__ livre de nouveau des relevés (muet depuis le __since__).",
  },
  "coverage-low": {
    raised:
      "Compteur __meter__ : seuls __coverage__ des quarts d’heure de ce mois jusqu’ici (__month__) sont mesurés ou interpolés, moins que les __threshold__ qu’exige une facturation. Si cela reste ainsi, la facturation de __month__ s’arrête. Importez les données manquantes ou réparez le compteur.",
    resolved: "Compteur __meter__ : les données de __month__ couvrent de nouveau au moins __threshold__.",
    "resolved-month-over":
      "Compteur __meter__ : __month__ est terminé ; ses données couvraient moins de __threshold__ lors du dernier contrôle. La facturation de __month__ s’arrête jusqu’à ce que les données soient importées ou la facturation forcée.",
  },
  "rejected-burst": {
    raised:
      "Compteur __meter__ : __count__ valeurs refusées durant les __minutes__ dernières minutes (depuis le __since__). Consultez le journal du nœud du compteur : une mauvaise échelle, un mauvais registre ou un compteur défectueux.",
    resolved: "Compteur __meter__ : les valeurs ne sont plus refusées en série (en série depuis le __since__).",
  },
  "backup-failed": {
    raised:
      "La sauvegarde de la base de données dans __folder__ a échoué le __since__. Vérifiez le dossier (place, droits) ; le journal de Node-RED donne les détails.",
    resolved: "La sauvegarde de la base de données dans __folder__ fonctionne de nouveau (en échec depuis le __since__).",
  },
  "device-silent": {
    raised:
      "L’appareil du compteur __device__ ne livre plus de valeurs utilisables depuis le __since__ (__minutes__ min). Vérifiez l’alimentation, le réseau et l’adresse.",
    resolved: "L’appareil du compteur __device__ livre de nouveau (muet depuis le __since__).",
    "raised-charger": "La borne de recharge __device__ ne répond plus depuis le __since__ (__minutes__ min). Vérifiez l’alimentation, le réseau et l’adresse.",
    "resolved-charger": "La borne de recharge __device__ répond de nouveau (muette depuis le __since__).",
  },
};

const IT: AlertTexts = {
  "meter-silent": {
    raised:
      "Il contatore __meter__ non ha più registrato letture dal __since__ (__minutes__ min). Controllate il contatore, il suo collegamento e il suo nodo.",
    resolved: "Il contatore __meter__ fornisce di nuovo letture (muto dal __since__).",
  },
  "coverage-low": {
    raised:
      "Contatore __meter__: solo il __coverage__ dei quarti d’ora di questo mese finora (__month__) è misurato o interpolato, meno del __threshold__ richiesto da una fatturazione. Se resta così, la fatturazione di __month__ si ferma. Importate i dati mancanti o riparate il contatore.",
    resolved: "Contatore __meter__: i dati di __month__ coprono di nuovo almeno il __threshold__.",
    "resolved-month-over":
      "Contatore __meter__: __month__ è terminato; all’ultimo controllo i suoi dati coprivano meno del __threshold__. La fatturazione di __month__ si ferma finché i dati non sono importati o la fatturazione forzata.",
  },
  "rejected-burst": {
    raised:
      "Contatore __meter__: __count__ valori rifiutati negli ultimi __minutes__ min (dal __since__). Consultate il log del nodo del contatore: una scala sbagliata, un registro sbagliato o un contatore difettoso.",
    resolved: "Contatore __meter__: i valori non vengono più rifiutati a raffica (a raffica dal __since__).",
  },
  "backup-failed": {
    raised:
      "Il backup della banca dati in __folder__ è fallito il __since__. Controllate la cartella (spazio, permessi); il log di Node-RED riporta i dettagli.",
    resolved: "Il backup della banca dati in __folder__ funziona di nuovo (fallito dal __since__).",
  },
  "device-silent": {
    raised:
      "L’apparecchio del contatore __device__ non fornisce più valori utilizzabili dal __since__ (__minutes__ min). Controllate alimentazione, rete e indirizzo.",
    resolved: "L’apparecchio del contatore __device__ fornisce di nuovo (muto dal __since__).",
    "raised-charger": "La stazione di ricarica __device__ non risponde più dal __since__ (__minutes__ min). Controllate alimentazione, rete e indirizzo.",
    "resolved-charger": "La stazione di ricarica __device__ risponde di nuovo (muta dal __since__).",
  },
};

export const ALERT_TEXTS: Record<Language, AlertTexts> = { en: EN, de: DE, fr: FR, it: IT };
