/*
 * The texts of the admin pages (Payments, Portal) and of the Billing page's
 * corrections and progress, in the suite's four languages (issues 13, 14,
 * 15, 16). texts.ts puts them into each language's DashboardTexts as `admin`.
 */

export interface AdminTexts {
  pages: { payments: string; portal: string };
  groups: { payments: string; assign: string; invoices: string; reminders: string; links: string; corrections: string; progress: string };
  pay: {
    date: string;
    amount: string;
    reference: string;
    debtor: string;
    invoice: string;
    states: Record<"matched" | "assigned" | "manual" | "unmatched" | "flagged", string>;
    flags: Record<"cancelled-invoice" | "foreign-account" | "currency" | "not-payable", string>;
    recipient: string;
    total: string;
    paid: string;
    open: string;
    paymentStatus: string;
    paymentStatuses: Record<"open" | "partial" | "paid" | "overpaid", string>;
    listNote: string;
    noPayments: string;
    pickPayment: string;
    selectedPayment: string;
    notAssignable: string;
    invoiceLabel: string;
    assign: string;
    assignTitle: string;
    assignText: string;
    assignOk: string;
    nothingToAssign: string;
    assigned: string;
    cancelled: string;
    stale: string;
    runReminders: string;
    remindersTitle: string;
    remindersText: string;
    remindersOk: string;
    remindersDone: string;
    remindersNone: string;
    remindersRefused: string;
    reminderLine: string;
    failed: string;
  };
  portal: {
    tenancy: string;
    validity: string;
    days: string;
    create: string;
    createdTitle: string;
    createdText: string;
    close: string;
    created: string;
    id: string;
    state: string;
    createdAt: string;
    expires: string;
    lastUsed: string;
    states: Record<"active" | "revoked" | "expired" | "tenancy-ended" | "tenancy-gone", string>;
    revoke: string;
    revokeTitle: string;
    revokeText: string;
    revokeOk: string;
    revoked: string;
    pickLink: string;
    selectedLink: string;
    noLinks: string;
    linksNote: string;
    pickTenancy: string;
    failed: string;
  };
  corrections: {
    check: string;
    none: string;
    listed: string;
    kWhIssued: string;
    kWhNow: string;
    kWhDiff: string;
    amountDiff: string;
    correctAll: string;
    title: string;
    text: string;
    ok: string;
    done: string;
    nothing: string;
    stale: string;
    failed: string;
    blocked: string;
  };
  progress: { label: string; phases: Record<"load" | "compute" | "write", string>; text: string; idle: string };
  /** Texts for the nodes' error codes on these pages (msg.error.code). */
  errors: Record<string, string>;
}

export const ADMIN_TEXTS: Record<"en" | "de" | "fr" | "it", AdminTexts> = {
  en: {
    pages: { payments: "Payments", portal: "Portal" },
    groups: {
      payments: "Payments",
      assign: "Assign a payment",
      invoices: "Invoices and their payments",
      reminders: "Reminders",
      links: "Tenant portal links",
      corrections: "Corrections",
      progress: "Billing run in progress",
    },
    pay: {
      date: "Booked",
      amount: "Amount",
      reference: "Reference",
      debtor: "Paid by",
      invoice: "Invoice",
      states: { matched: "matched", assigned: "assigned by hand", manual: "entered by hand", unmatched: "unmatched", flagged: "flagged" },
      flags: {
        "cancelled-invoice": "cancelled invoice",
        "foreign-account": "another account",
        currency: "other currency",
        "not-payable": "invoice not payable",
      },
      recipient: "Recipient",
      total: "Total",
      paid: "Paid",
      open: "Open",
      paymentStatus: "Payment",
      paymentStatuses: { open: "open", partial: "partly paid", paid: "paid", overpaid: "overpaid" },
      listNote: "__count__ payment(s): __matched__ booked to an invoice, __unmatched__ unmatched, __flagged__ flagged",
      noPayments: "No payments yet: import the bank's camt.054 or camt.053 files (zev payments import, or the zev-billing command payments).",
      pickPayment: "Click an unmatched or flagged payment to assign it to an invoice.",
      selectedPayment: "Payment __id__: __amount__ from __debtor__, reference __reference__",
      notAssignable: "Payment __id__ is __state__: only unmatched or flagged payments are assigned by hand.",
      invoiceLabel: "Invoice",
      assign: "Assign to the invoice",
      assignTitle: "Assign the payment?",
      assignText: "__amount__ from __debtor__ to invoice __invoice__ (__recipient__, open __open__). The audit log records who did it.",
      assignOk: "Assign",
      nothingToAssign: "Choose an unmatched payment (click it) and an invoice first.",
      assigned: "Payment __id__ assigned to invoice __invoice__: now __status__, open __open__.",
      cancelled: "Nothing changed.",
      stale: "The payment or the invoice changed meanwhile: nothing assigned. Check the lists and try again.",
      runReminders: "Run reminders",
      remindersTitle: "Make the payment reminders due today?",
      remindersText:
        "Every unpaid invoice whose next reminder level is due today gets a numbered reminder (for good) with a QR bill for the open amount and fee. Import the bank's payments first.",
      remindersOk: "Make the reminders",
      remindersDone: "__count__ reminder(s) made on __date__:",
      remindersNone: "No reminder due on __date__.",
      remindersRefused: "__count__ not made (their QR bill cannot be printed): __list__",
      reminderLine: "__number__ level __level__ for __invoice__ (__recipient__): __amount__, to pay by __due__",
      failed: "The payments request was not carried out.",
    },
    portal: {
      tenancy: "Tenancy",
      validity: "Valid for",
      days: "__days__ days",
      create: "Create a link",
      createdTitle: "Portal link for __tenancy__",
      createdText: "Valid until __expires__. It is shown only now (the database keeps only its hash): copy it and send it to the tenant like a password.",
      close: "Close",
      created: "Link __id__ for __tenancy__ created, valid until __expires__.",
      id: "Link",
      state: "State",
      createdAt: "Created",
      expires: "Expires",
      lastUsed: "Last used",
      states: { active: "active", revoked: "revoked", expired: "expired", "tenancy-ended": "tenancy ended", "tenancy-gone": "tenancy removed" },
      revoke: "Revoke the selected link",
      revokeTitle: "Revoke the link?",
      revokeText: "Link __id__ of __tenancy__ stops working at once; the tenant needs a new link to see the portal.",
      revokeOk: "Revoke",
      revoked: "Link __id__ revoked.",
      pickLink: "Click an active link to revoke it.",
      selectedLink: "Selected: link __id__ (__tenancy__, expires __expires__)",
      noLinks: "No portal links yet.",
      linksNote: "__active__ active link(s) of __count__. The links themselves are never shown again.",
      pickTenancy: "Choose a tenancy first.",
      failed: "The portal request was not carried out.",
    },
    corrections: {
      check: "Look for corrections",
      none: "No issued invoice differs from today's data.",
      listed: "__count__ issued invoice(s) differ from today's data (e.g. true values replaced estimates):",
      kWhIssued: "kWh issued",
      kWhNow: "kWh now",
      kWhDiff: "kWh difference",
      amountDiff: "Difference",
      correctAll: "Correct the listed invoices",
      title: "Correct the invoices?",
      text: "__count__ invoice(s) (__numbers__) are cancelled by a credit note each, and the invoice with today's data is issued (difference __amount__). Both get their numbers for good.",
      ok: "Correct __count__ invoice(s)",
      done: "__corrected__ corrected, __refused__ refused: __list__",
      nothing: "Nothing to correct.",
      stale: "The list changed meanwhile: nothing corrected. Look for corrections again.",
      failed: "The corrections request was not carried out.",
      blocked: "cannot be issued now",
    },
    progress: {
      label: "Billing run",
      phases: { load: "meter data", compute: "invoices", write: "storing" },
      text: "__period__: __phase__ __done__ of __total__ (__pct__)",
      idle: "No billing run in progress.",
    },
    errors: {
      "billing-busy": "A billing run is already running: wait until it has finished (the bar above), then ask again.",
      "payments.noPayment": "This payment does not exist (any more): reload the page.",
      "payments.alreadyBooked": "This payment is already booked to invoice __invoice__.",
      "payments.foreignAccount": "This payment was made to another account than the community's: it is never booked to an invoice.",
      "payments.noInvoice": "This invoice does not exist in the community.",
      "payments.notPayable": "Invoice __invoice__ is __status__: payments are assigned to issued invoices only.",
      "payments.currency": "Invoice __invoice__ is in __currency__, the payment in __paid__.",
      "no-tenancy": "The community has no tenancy __tenancy__.",
      "tenancy-ended": "Tenancy __tenancy__ ended on __to__: its portal access has ended.",
      "valid-days": "A link is valid for 1 to 1095 days.",
      "nothing-to-revoke": "There is no active link of __what__.",
      "portal-timeout":
        "No answer from the portal: check that a link-in node named 'zev portal' is wired into the zev-portal node and its output into a link-out set to return (docs/dashboard.md).",
      "unknown-command": "The portal node does not know this request: update the suite or import the dashboard of the installed version.",
    },
  },
  de: {
    pages: { payments: "Zahlungen", portal: "Portal" },
    groups: {
      payments: "Zahlungen",
      assign: "Zahlung zuordnen",
      invoices: "Rechnungen und ihre Zahlungen",
      reminders: "Mahnungen",
      links: "Links zum Mieterportal",
      corrections: "Korrekturen",
      progress: "Laufende Abrechnung",
    },
    pay: {
      date: "Gebucht",
      amount: "Betrag",
      reference: "Referenz",
      debtor: "Bezahlt von",
      invoice: "Rechnung",
      states: { matched: "zugeordnet", assigned: "von Hand zugeordnet", manual: "von Hand erfasst", unmatched: "nicht zugeordnet", flagged: "markiert" },
      flags: {
        "cancelled-invoice": "stornierte Rechnung",
        "foreign-account": "anderes Konto",
        currency: "andere Währung",
        "not-payable": "Rechnung nicht zahlbar",
      },
      recipient: "Empfänger",
      total: "Total",
      paid: "Bezahlt",
      open: "Offen",
      paymentStatus: "Zahlung",
      paymentStatuses: { open: "offen", partial: "teilweise bezahlt", paid: "bezahlt", overpaid: "überzahlt" },
      listNote: "__count__ Zahlung(en): __matched__ einer Rechnung zugeordnet, __unmatched__ nicht zugeordnet, __flagged__ markiert",
      noPayments:
        "Noch keine Zahlungen: die camt.054- oder camt.053-Dateien der Bank importieren (zev payments import oder der Befehl payments des zev-billing-Nodes).",
      pickPayment: "Eine nicht zugeordnete oder markierte Zahlung anklicken, um sie einer Rechnung zuzuordnen.",
      selectedPayment: "Zahlung __id__: __amount__ von __debtor__, Referenz __reference__",
      notAssignable: "Zahlung __id__ ist __state__: von Hand werden nur nicht zugeordnete oder markierte Zahlungen zugeordnet.",
      invoiceLabel: "Rechnung",
      assign: "Der Rechnung zuordnen",
      assignTitle: "Zahlung zuordnen?",
      assignText: "__amount__ von __debtor__ zur Rechnung __invoice__ (__recipient__, offen __open__). Das Protokoll hält fest, wer es getan hat.",
      assignOk: "Zuordnen",
      nothingToAssign: "Zuerst eine nicht zugeordnete Zahlung (anklicken) und eine Rechnung wählen.",
      assigned: "Zahlung __id__ der Rechnung __invoice__ zugeordnet: jetzt __status__, offen __open__.",
      cancelled: "Nichts geändert.",
      stale: "Die Zahlung oder die Rechnung hat sich inzwischen geändert: nichts zugeordnet. Listen prüfen und nochmals versuchen.",
      runReminders: "Mahnlauf",
      remindersTitle: "Die heute fälligen Mahnungen erstellen?",
      remindersText:
        "Jede unbezahlte Rechnung, deren nächste Mahnstufe heute fällig ist, erhält eine nummerierte Mahnung (endgültig) mit QR-Rechnung über den offenen Betrag und die Gebühr. Zuerst die Zahlungen der Bank importieren.",
      remindersOk: "Mahnungen erstellen",
      remindersDone: "__count__ Mahnung(en) am __date__ erstellt:",
      remindersNone: "Am __date__ ist keine Mahnung fällig.",
      remindersRefused: "__count__ nicht erstellt (ihre QR-Rechnung lässt sich nicht drucken): __list__",
      reminderLine: "__number__ Stufe __level__ für __invoice__ (__recipient__): __amount__, zahlbar bis __due__",
      failed: "Der Zahlungsauftrag wurde nicht ausgeführt.",
    },
    portal: {
      tenancy: "Mietverhältnis",
      validity: "Gültig für",
      days: "__days__ Tage",
      create: "Link erstellen",
      createdTitle: "Portal-Link für __tenancy__",
      createdText:
        "Gültig bis __expires__. Er wird nur jetzt angezeigt (die Datenbank speichert nur seinen Hash): kopieren und dem Mieter wie ein Passwort senden.",
      close: "Schliessen",
      created: "Link __id__ für __tenancy__ erstellt, gültig bis __expires__.",
      id: "Link",
      state: "Zustand",
      createdAt: "Erstellt",
      expires: "Läuft ab",
      lastUsed: "Zuletzt benutzt",
      states: {
        active: "aktiv",
        revoked: "widerrufen",
        expired: "abgelaufen",
        "tenancy-ended": "Mietverhältnis beendet",
        "tenancy-gone": "Mietverhältnis entfernt",
      },
      revoke: "Gewählten Link widerrufen",
      revokeTitle: "Link widerrufen?",
      revokeText: "Link __id__ von __tenancy__ funktioniert sofort nicht mehr; der Mieter braucht einen neuen Link für das Portal.",
      revokeOk: "Widerrufen",
      revoked: "Link __id__ widerrufen.",
      pickLink: "Einen aktiven Link anklicken, um ihn zu widerrufen.",
      selectedLink: "Gewählt: Link __id__ (__tenancy__, läuft ab __expires__)",
      noLinks: "Noch keine Portal-Links.",
      linksNote: "__active__ aktive(r) Link(s) von __count__. Die Links selbst werden nie mehr angezeigt.",
      pickTenancy: "Zuerst ein Mietverhältnis wählen.",
      failed: "Der Portal-Auftrag wurde nicht ausgeführt.",
    },
    corrections: {
      check: "Nach Korrekturen suchen",
      none: "Keine ausgestellte Rechnung weicht von den heutigen Daten ab.",
      listed: "__count__ ausgestellte Rechnung(en) weichen von den heutigen Daten ab (z. B. Messwerte ersetzten Ersatzwerte):",
      kWhIssued: "kWh ausgestellt",
      kWhNow: "kWh jetzt",
      kWhDiff: "kWh Differenz",
      amountDiff: "Differenz",
      correctAll: "Aufgeführte Rechnungen korrigieren",
      title: "Rechnungen korrigieren?",
      text: "__count__ Rechnung(en) (__numbers__) werden je mit einer Gutschrift storniert, und die Rechnung mit den heutigen Daten wird ausgestellt (Differenz __amount__). Beide erhalten ihre Nummern endgültig.",
      ok: "__count__ Rechnung(en) korrigieren",
      done: "__corrected__ korrigiert, __refused__ abgelehnt: __list__",
      nothing: "Nichts zu korrigieren.",
      stale: "Die Liste hat sich inzwischen geändert: nichts korrigiert. Nochmals nach Korrekturen suchen.",
      failed: "Der Korrekturauftrag wurde nicht ausgeführt.",
      blocked: "jetzt nicht ausstellbar",
    },
    progress: {
      label: "Abrechnungslauf",
      phases: { load: "Zählerdaten", compute: "Rechnungen", write: "Speichern" },
      text: "__period__: __phase__ __done__ von __total__ (__pct__)",
      idle: "Kein Abrechnungslauf im Gang.",
    },
    errors: {
      "billing-busy": "Eine Abrechnung läuft bereits: warten, bis sie fertig ist (Balken oben), dann nochmals verlangen.",
      "payments.noPayment": "Diese Zahlung gibt es (nicht mehr): Seite neu laden.",
      "payments.alreadyBooked": "Diese Zahlung ist bereits der Rechnung __invoice__ zugeordnet.",
      "payments.foreignAccount": "Diese Zahlung ging auf ein anderes Konto als das der Gemeinschaft: sie wird nie einer Rechnung zugeordnet.",
      "payments.noInvoice": "Diese Rechnung gibt es in der Gemeinschaft nicht.",
      "payments.notPayable": "Die Rechnung __invoice__ ist __status__: Zahlungen werden nur ausgestellten Rechnungen zugeordnet.",
      "payments.currency": "Die Rechnung __invoice__ lautet auf __currency__, die Zahlung auf __paid__.",
      "no-tenancy": "Die Gemeinschaft hat kein Mietverhältnis __tenancy__.",
      "tenancy-ended": "Das Mietverhältnis __tenancy__ endete am __to__: sein Portalzugang ist beendet.",
      "valid-days": "Ein Link gilt 1 bis 1095 Tage.",
      "nothing-to-revoke": "Es gibt keinen aktiven Link von __what__.",
      "portal-timeout":
        "Keine Antwort vom Portal: prüfen, ob ein Link-in-Node namens 'zev portal' in den zev-portal-Node führt und dessen Ausgang in einen Link-out mit «return» (docs/dashboard.md).",
      "unknown-command": "Der Portal-Node kennt diesen Auftrag nicht: die Suite aktualisieren oder das Dashboard der installierten Version importieren.",
    },
  },
  fr: {
    pages: { payments: "Paiements", portal: "Portail" },
    groups: {
      payments: "Paiements",
      assign: "Attribuer un paiement",
      invoices: "Factures et leurs paiements",
      reminders: "Rappels",
      links: "Liens du portail des locataires",
      corrections: "Corrections",
      progress: "Facturation en cours",
    },
    pay: {
      date: "Comptabilisé",
      amount: "Montant",
      reference: "Référence",
      debtor: "Payé par",
      invoice: "Facture",
      states: { matched: "attribué", assigned: "attribué à la main", manual: "saisi à la main", unmatched: "non attribué", flagged: "signalé" },
      flags: {
        "cancelled-invoice": "facture annulée",
        "foreign-account": "autre compte",
        currency: "autre monnaie",
        "not-payable": "facture non payable",
      },
      recipient: "Destinataire",
      total: "Total",
      paid: "Payé",
      open: "Ouvert",
      paymentStatus: "Paiement",
      paymentStatuses: { open: "ouverte", partial: "payée en partie", paid: "payée", overpaid: "payée en trop" },
      listNote: "__count__ paiement(s) : __matched__ attribués à une facture, __unmatched__ non attribués, __flagged__ signalés",
      noPayments:
        "Pas encore de paiements : importez les fichiers camt.054 ou camt.053 de la banque (zev payments import, ou la commande payments du nœud zev-billing).",
      pickPayment: "Cliquez sur un paiement non attribué ou signalé pour l'attribuer à une facture.",
      selectedPayment: "Paiement __id__ : __amount__ de __debtor__, référence __reference__",
      notAssignable: "Le paiement __id__ est __state__ : seuls les paiements non attribués ou signalés s'attribuent à la main.",
      invoiceLabel: "Facture",
      assign: "Attribuer à la facture",
      assignTitle: "Attribuer le paiement ?",
      assignText: "__amount__ de __debtor__ à la facture __invoice__ (__recipient__, ouvert __open__). Le journal d'audit note qui l'a fait.",
      assignOk: "Attribuer",
      nothingToAssign: "Choisissez d'abord un paiement non attribué (cliquez-le) et une facture.",
      assigned: "Paiement __id__ attribué à la facture __invoice__ : maintenant __status__, ouvert __open__.",
      cancelled: "Rien n'a changé.",
      stale: "Le paiement ou la facture a changé entre-temps : rien n'est attribué. Vérifiez les listes et réessayez.",
      runReminders: "Lancer les rappels",
      remindersTitle: "Établir les rappels échus aujourd'hui ?",
      remindersText:
        "Chaque facture impayée dont le prochain niveau de rappel échoit aujourd'hui reçoit un rappel numéroté (définitivement) avec une QR-facture pour le montant ouvert et les frais. Importez d'abord les paiements de la banque.",
      remindersOk: "Établir les rappels",
      remindersDone: "__count__ rappel(s) établis le __date__ :",
      remindersNone: "Aucun rappel n'échoit le __date__.",
      remindersRefused: "__count__ non établis (leur QR-facture ne peut pas être imprimée) : __list__",
      reminderLine: "__number__ niveau __level__ pour __invoice__ (__recipient__) : __amount__, à payer d'ici le __due__",
      failed: "La demande de paiements n'a pas été exécutée.",
    },
    portal: {
      tenancy: "Bail",
      validity: "Valable",
      days: "__days__ jours",
      create: "Créer un lien",
      createdTitle: "Lien du portail pour __tenancy__",
      createdText:
        "Valable jusqu'au __expires__. Il n'est affiché que maintenant (la base de données n'en garde que l'empreinte) : copiez-le et envoyez-le au locataire comme un mot de passe.",
      close: "Fermer",
      created: "Lien __id__ pour __tenancy__ créé, valable jusqu'au __expires__.",
      id: "Lien",
      state: "État",
      createdAt: "Créé",
      expires: "Expire",
      lastUsed: "Dernière utilisation",
      states: { active: "actif", revoked: "révoqué", expired: "expiré", "tenancy-ended": "bail terminé", "tenancy-gone": "bail supprimé" },
      revoke: "Révoquer le lien choisi",
      revokeTitle: "Révoquer le lien ?",
      revokeText: "Le lien __id__ de __tenancy__ cesse de fonctionner tout de suite ; le locataire a besoin d'un nouveau lien pour le portail.",
      revokeOk: "Révoquer",
      revoked: "Lien __id__ révoqué.",
      pickLink: "Cliquez sur un lien actif pour le révoquer.",
      selectedLink: "Choisi : lien __id__ (__tenancy__, expire le __expires__)",
      noLinks: "Pas encore de liens du portail.",
      linksNote: "__active__ lien(s) actif(s) sur __count__. Les liens eux-mêmes ne sont jamais réaffichés.",
      pickTenancy: "Choisissez d'abord un bail.",
      failed: "La demande au portail n'a pas été exécutée.",
    },
    corrections: {
      check: "Chercher des corrections",
      none: "Aucune facture émise ne diffère des données d'aujourd'hui.",
      listed: "__count__ facture(s) émise(s) diffèrent des données d'aujourd'hui (p. ex. des valeurs mesurées ont remplacé des valeurs de remplacement) :",
      kWhIssued: "kWh émis",
      kWhNow: "kWh maintenant",
      kWhDiff: "Différence kWh",
      amountDiff: "Différence",
      correctAll: "Corriger les factures listées",
      title: "Corriger les factures ?",
      text: "__count__ facture(s) (__numbers__) sont annulées chacune par une note de crédit, et la facture avec les données d'aujourd'hui est émise (différence __amount__). Les deux reçoivent leur numéro définitivement.",
      ok: "Corriger __count__ facture(s)",
      done: "__corrected__ corrigée(s), __refused__ refusée(s) : __list__",
      nothing: "Rien à corriger.",
      stale: "La liste a changé entre-temps : rien n'est corrigé. Cherchez à nouveau des corrections.",
      failed: "La demande de corrections n'a pas été exécutée.",
      blocked: "pas émissible maintenant",
    },
    progress: {
      label: "Facturation",
      phases: { load: "données des compteurs", compute: "factures", write: "enregistrement" },
      text: "__period__ : __phase__ __done__ sur __total__ (__pct__)",
      idle: "Aucune facturation en cours.",
    },
    errors: {
      "billing-busy": "Une facturation est déjà en cours : attendez qu'elle soit terminée (la barre ci-dessus), puis redemandez.",
      "payments.noPayment": "Ce paiement n'existe pas (plus) : rechargez la page.",
      "payments.alreadyBooked": "Ce paiement est déjà attribué à la facture __invoice__.",
      "payments.foreignAccount": "Ce paiement a été fait sur un autre compte que celui de la communauté : il n'est jamais attribué à une facture.",
      "payments.noInvoice": "Cette facture n'existe pas dans la communauté.",
      "payments.notPayable": "La facture __invoice__ est __status__ : les paiements ne s'attribuent qu'à des factures émises.",
      "payments.currency": "La facture __invoice__ est en __currency__, le paiement en __paid__.",
      "no-tenancy": "La communauté n'a pas de bail __tenancy__.",
      "tenancy-ended": "Le bail __tenancy__ a pris fin le __to__ : son accès au portail a pris fin.",
      "valid-days": "Un lien est valable de 1 à 1095 jours.",
      "nothing-to-revoke": "Il n'y a pas de lien actif de __what__.",
      "portal-timeout":
        "Pas de réponse du portail : vérifiez qu'un nœud link-in nommé 'zev portal' mène au nœud zev-portal et sa sortie à un link-out en mode « return » (docs/dashboard.md).",
      "unknown-command": "Le nœud du portail ne connaît pas cette demande : mettez la suite à jour ou importez le tableau de bord de la version installée.",
    },
  },
  it: {
    pages: { payments: "Pagamenti", portal: "Portale" },
    groups: {
      payments: "Pagamenti",
      assign: "Attribuire un pagamento",
      invoices: "Fatture e i loro pagamenti",
      reminders: "Solleciti",
      links: "Link del portale degli inquilini",
      corrections: "Correzioni",
      progress: "Fatturazione in corso",
    },
    pay: {
      date: "Contabilizzato",
      amount: "Importo",
      reference: "Riferimento",
      debtor: "Pagato da",
      invoice: "Fattura",
      states: { matched: "attribuito", assigned: "attribuito a mano", manual: "registrato a mano", unmatched: "non attribuito", flagged: "segnalato" },
      flags: {
        "cancelled-invoice": "fattura annullata",
        "foreign-account": "altro conto",
        currency: "altra valuta",
        "not-payable": "fattura non pagabile",
      },
      recipient: "Destinatario",
      total: "Totale",
      paid: "Pagato",
      open: "Aperto",
      paymentStatus: "Pagamento",
      paymentStatuses: { open: "aperta", partial: "pagata in parte", paid: "pagata", overpaid: "pagata in eccesso" },
      listNote: "__count__ pagamento/i: __matched__ attribuiti a una fattura, __unmatched__ non attribuiti, __flagged__ segnalati",
      noPayments:
        "Ancora nessun pagamento: importare i file camt.054 o camt.053 della banca (zev payments import, o il comando payments del nodo zev-billing).",
      pickPayment: "Cliccare un pagamento non attribuito o segnalato per attribuirlo a una fattura.",
      selectedPayment: "Pagamento __id__: __amount__ da __debtor__, riferimento __reference__",
      notAssignable: "Il pagamento __id__ è __state__: a mano si attribuiscono solo pagamenti non attribuiti o segnalati.",
      invoiceLabel: "Fattura",
      assign: "Attribuire alla fattura",
      assignTitle: "Attribuire il pagamento?",
      assignText: "__amount__ da __debtor__ alla fattura __invoice__ (__recipient__, aperto __open__). Il registro annota chi l'ha fatto.",
      assignOk: "Attribuire",
      nothingToAssign: "Scegliere prima un pagamento non attribuito (cliccarlo) e una fattura.",
      assigned: "Pagamento __id__ attribuito alla fattura __invoice__: ora __status__, aperto __open__.",
      cancelled: "Nulla è cambiato.",
      stale: "Il pagamento o la fattura è cambiato nel frattempo: nulla è attribuito. Controllare le liste e riprovare.",
      runReminders: "Eseguire i solleciti",
      remindersTitle: "Emettere i solleciti scaduti oggi?",
      remindersText:
        "Ogni fattura non pagata il cui prossimo livello di sollecito scade oggi riceve un sollecito numerato (definitivamente) con una QR-fattura per l'importo aperto e la tassa. Importare prima i pagamenti della banca.",
      remindersOk: "Emettere i solleciti",
      remindersDone: "__count__ sollecito/i emessi il __date__:",
      remindersNone: "Nessun sollecito scade il __date__.",
      remindersRefused: "__count__ non emessi (la loro QR-fattura non si può stampare): __list__",
      reminderLine: "__number__ livello __level__ per __invoice__ (__recipient__): __amount__, da pagare entro il __due__",
      failed: "La richiesta dei pagamenti non è stata eseguita.",
    },
    portal: {
      tenancy: "Locazione",
      validity: "Valido per",
      days: "__days__ giorni",
      create: "Creare un link",
      createdTitle: "Link del portale per __tenancy__",
      createdText:
        "Valido fino al __expires__. È mostrato solo ora (la banca dati ne conserva solo l'impronta): copiarlo e inviarlo all'inquilino come una password.",
      close: "Chiudere",
      created: "Link __id__ per __tenancy__ creato, valido fino al __expires__.",
      id: "Link",
      state: "Stato",
      createdAt: "Creato",
      expires: "Scade",
      lastUsed: "Ultimo uso",
      states: { active: "attivo", revoked: "revocato", expired: "scaduto", "tenancy-ended": "locazione terminata", "tenancy-gone": "locazione rimossa" },
      revoke: "Revocare il link scelto",
      revokeTitle: "Revocare il link?",
      revokeText: "Il link __id__ di __tenancy__ smette subito di funzionare; l'inquilino ha bisogno di un nuovo link per il portale.",
      revokeOk: "Revocare",
      revoked: "Link __id__ revocato.",
      pickLink: "Cliccare un link attivo per revocarlo.",
      selectedLink: "Scelto: link __id__ (__tenancy__, scade il __expires__)",
      noLinks: "Ancora nessun link del portale.",
      linksNote: "__active__ link attivo/i su __count__. I link stessi non sono mai più mostrati.",
      pickTenancy: "Scegliere prima una locazione.",
      failed: "La richiesta al portale non è stata eseguita.",
    },
    corrections: {
      check: "Cercare correzioni",
      none: "Nessuna fattura emessa differisce dai dati di oggi.",
      listed: "__count__ fattura/e emessa/e differiscono dai dati di oggi (p. es. valori misurati hanno sostituito valori sostitutivi):",
      kWhIssued: "kWh emessi",
      kWhNow: "kWh ora",
      kWhDiff: "Differenza kWh",
      amountDiff: "Differenza",
      correctAll: "Correggere le fatture elencate",
      title: "Correggere le fatture?",
      text: "__count__ fattura/e (__numbers__) sono annullate ciascuna con una nota di credito, e la fattura con i dati di oggi è emessa (differenza __amount__). Entrambe ricevono il loro numero definitivamente.",
      ok: "Correggere __count__ fattura/e",
      done: "__corrected__ corrette, __refused__ rifiutate: __list__",
      nothing: "Nulla da correggere.",
      stale: "La lista è cambiata nel frattempo: nulla è corretto. Cercare di nuovo le correzioni.",
      failed: "La richiesta delle correzioni non è stata eseguita.",
      blocked: "non emettibile ora",
    },
    progress: {
      label: "Fatturazione",
      phases: { load: "dati dei contatori", compute: "fatture", write: "salvataggio" },
      text: "__period__: __phase__ __done__ di __total__ (__pct__)",
      idle: "Nessuna fatturazione in corso.",
    },
    errors: {
      "billing-busy": "Una fatturazione è già in corso: attendere che sia terminata (la barra sopra), poi richiedere.",
      "payments.noPayment": "Questo pagamento non esiste (più): ricaricare la pagina.",
      "payments.alreadyBooked": "Questo pagamento è già attribuito alla fattura __invoice__.",
      "payments.foreignAccount": "Questo pagamento è stato fatto su un altro conto di quello della comunità: non viene mai attribuito a una fattura.",
      "payments.noInvoice": "Questa fattura non esiste nella comunità.",
      "payments.notPayable": "La fattura __invoice__ è __status__: i pagamenti si attribuiscono solo a fatture emesse.",
      "payments.currency": "La fattura __invoice__ è in __currency__, il pagamento in __paid__.",
      "no-tenancy": "La comunità non ha una locazione __tenancy__.",
      "tenancy-ended": "La locazione __tenancy__ è terminata il __to__: il suo accesso al portale è terminato.",
      "valid-days": "Un link vale da 1 a 1095 giorni.",
      "nothing-to-revoke": "Non c'è nessun link attivo di __what__.",
      "portal-timeout":
        "Nessuna risposta dal portale: verificare che un nodo link-in chiamato 'zev portal' porti al nodo zev-portal e la sua uscita a un link-out in modalità «return» (docs/dashboard.md).",
      "unknown-command": "Il nodo del portale non conosce questa richiesta: aggiornare la suite o importare il dashboard della versione installata.",
    },
  },
};
