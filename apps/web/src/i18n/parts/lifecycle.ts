/**
 * Lifecycle texts, kept apart from the main catalogues so that work on this area changes one file.
 * English is the reference; Arabic and Spanish must translate every key (checked by tsc).
 */
export const lifecycleEn = {
  'lifecycle.title': 'End of the cohort',
  'lifecycle.purgeOn':
    'This cohort has ended. Its messages, files and schedules will be deleted from the hub on {day}.',
  'lifecycle.latest': 'The deletion can be postponed until {day} at the latest.',
  'lifecycle.exportHint':
    'Before then, you can keep a copy of your own history. It is decrypted on this device and saved as a file; nothing is sent to the hub.',
  'lifecycle.export': 'Export my history',
  'lifecycle.exporting': 'Exporting… {count} messages so far',
  'lifecycle.exported': 'Your history was saved: {count} messages from {rooms} rooms.',
  'lifecycle.postpone30': 'Postpone by 30 days',
  'lifecycle.postpone90': 'Postpone by 90 days',
  'lifecycle.postponed': 'The deletion is now set for {day}.',
  'lifecycle.atLatest': 'The deletion cannot be postponed any further.',
  'lifecycle.file.title': 'My history in {cohort}',
  'lifecycle.file.note':
    'Exported on {day} from this device. Files and pictures are listed by name only. Messages this device could not decrypt are marked.',
  'lifecycle.file.unreadable': '(could not be decrypted on this device)',
  'lifecycle.file.deleted': '(deleted)',
  'lifecycle.archive.title': 'Archive this cohort now',
  'lifecycle.archive.body':
    'Archiving deletes the cohort’s messages, files, schedules, memberships and reports from the hub at once, before its planned date. Only anonymous figures stay: its name, its dates and counts. It cannot be undone.',
  'lifecycle.archive.button': 'Archive now…',
  'lifecycle.archive.confirm':
    'Delete everything of “{cohort}” from the hub now? Members can no longer export their history afterwards.',
  'lifecycle.archive.reason': 'Reason (kept in the record)',
  'lifecycle.archive.submit': 'Delete and archive',
  'lifecycle.archive.cancel': 'Cancel',
  'lifecycle.archives.title': 'Archived cohorts',
  'lifecycle.archives.purgedOn': 'Deleted on its planned date, {day}. Members at the end: {members}.',
  'lifecycle.archives.archivedOn': 'Archived early by an administrator on {day}. Members at the end: {members}.',
  'lifecycle.file.attachment': 'Attachment: {name}',
  'notif.cohort_purge_scheduled':
    'A cohort you are in has ended. Its data will be deleted; you can export your history from the cohort’s page.',
  'notif.cohort_purged': 'A cohort you were in has been deleted from the hub.',
} as const;

type Keys = keyof typeof lifecycleEn;

export const lifecycleAr: Record<Keys, string> = {
  'lifecycle.title': 'نهاية الدفعة',
  'lifecycle.purgeOn': 'انتهت هذه الدفعة. ستُحذف رسائلها وملفاتها ومواعيدها من الخادم في {day}.',
  'lifecycle.latest': 'يمكن تأجيل الحذف حتى {day} كحدّ أقصى.',
  'lifecycle.exportHint':
    'قبل ذلك، يمكنك الاحتفاظ بنسخة من سجلّك الخاص. يُفكّ تشفيره على هذا الجهاز ويُحفظ في ملف، ولا يُرسل أي شيء إلى الخادم.',
  'lifecycle.export': 'تصدير سجلّي',
  'lifecycle.exporting': 'جارٍ التصدير… {count} رسالة حتى الآن',
  'lifecycle.exported': 'حُفظ سجلّك: {count} رسالة من {rooms} غرف.',
  'lifecycle.postpone30': 'تأجيل 30 يومًا',
  'lifecycle.postpone90': 'تأجيل 90 يومًا',
  'lifecycle.postponed': 'موعد الحذف الآن {day}.',
  'lifecycle.atLatest': 'لا يمكن تأجيل الحذف أكثر من ذلك.',
  'lifecycle.file.title': 'سجلّي في {cohort}',
  'lifecycle.file.note':
    'صُدّر في {day} من هذا الجهاز. الملفات والصور مذكورة بأسمائها فقط. الرسائل التي لم يتمكن هذا الجهاز من فكّ تشفيرها مُعلَّمة.',
  'lifecycle.file.unreadable': '(تعذّر فكّ تشفيرها على هذا الجهاز)',
  'lifecycle.file.deleted': '(محذوفة)',
  'lifecycle.archive.title': 'أرشفة هذه الدفعة الآن',
  'lifecycle.archive.body':
    'تحذف الأرشفة رسائل الدفعة وملفاتها ومواعيدها وعضوياتها وبلاغاتها من الخادم فورًا، قبل موعدها المقرّر. لا يبقى إلا أرقام مجهولة الهوية: اسمها وتواريخها وأعداد. لا يمكن التراجع عن ذلك.',
  'lifecycle.archive.button': 'أرشفة الآن…',
  'lifecycle.archive.confirm':
    'هل تريد حذف كل ما يخص «{cohort}» من الخادم الآن؟ لن يتمكن الأعضاء بعد ذلك من تصدير سجلّهم.',
  'lifecycle.archive.reason': 'السبب (يُحفظ في السجل)',
  'lifecycle.archive.submit': 'حذف وأرشفة',
  'lifecycle.archive.cancel': 'إلغاء',
  'lifecycle.archives.title': 'الدفعات المؤرشفة',
  'lifecycle.archives.purgedOn': 'حُذفت في موعدها المقرّر، {day}. عدد الأعضاء في النهاية: {members}.',
  'lifecycle.archives.archivedOn': 'أرشفها مسؤول مبكرًا في {day}. عدد الأعضاء في النهاية: {members}.',
  'lifecycle.file.attachment': 'مرفق: {name}',
  'notif.cohort_purge_scheduled': 'انتهت دفعة أنت فيها. ستُحذف بياناتها؛ يمكنك تصدير سجلّك من صفحة الدفعة.',
  'notif.cohort_purged': 'حُذفت من الخادم دفعة كنت فيها.',
};

export const lifecycleEs: Record<Keys, string> = {
  'lifecycle.title': 'Fin de la cohorte',
  'lifecycle.purgeOn':
    'Esta cohorte ha terminado. Sus mensajes, archivos y horarios se borrarán del servidor el {day}.',
  'lifecycle.latest': 'El borrado puede aplazarse como mucho hasta el {day}.',
  'lifecycle.exportHint':
    'Antes de esa fecha, puedes guardar una copia de tu propio historial. Se descifra en este dispositivo y se guarda en un archivo; no se envía nada al servidor.',
  'lifecycle.export': 'Exportar mi historial',
  'lifecycle.exporting': 'Exportando… {count} mensajes por ahora',
  'lifecycle.exported': 'Tu historial se ha guardado: {count} mensajes de {rooms} salas.',
  'lifecycle.postpone30': 'Aplazar 30 días',
  'lifecycle.postpone90': 'Aplazar 90 días',
  'lifecycle.postponed': 'El borrado queda fijado para el {day}.',
  'lifecycle.atLatest': 'El borrado no puede aplazarse más.',
  'lifecycle.file.title': 'Mi historial en {cohort}',
  'lifecycle.file.note':
    'Exportado el {day} desde este dispositivo. Los archivos e imágenes aparecen solo por su nombre. Se señalan los mensajes que este dispositivo no pudo descifrar.',
  'lifecycle.file.unreadable': '(no se pudo descifrar en este dispositivo)',
  'lifecycle.file.deleted': '(borrado)',
  'lifecycle.archive.title': 'Archivar esta cohorte ahora',
  'lifecycle.archive.body':
    'Archivar borra del servidor, de inmediato y antes de la fecha prevista, los mensajes, archivos, calendarios, membresías y denuncias de la cohorte. Solo quedan cifras anónimas: su nombre, sus fechas y recuentos. No se puede deshacer.',
  'lifecycle.archive.button': 'Archivar ahora…',
  'lifecycle.archive.confirm':
    '¿Borrar ahora del servidor todo lo de «{cohort}»? Después, sus miembros ya no podrán exportar su historial.',
  'lifecycle.archive.reason': 'Motivo (queda en el registro)',
  'lifecycle.archive.submit': 'Borrar y archivar',
  'lifecycle.archive.cancel': 'Cancelar',
  'lifecycle.archives.title': 'Cohortes archivadas',
  'lifecycle.archives.purgedOn': 'Borrada en la fecha prevista, {day}. Miembros al final: {members}.',
  'lifecycle.archives.archivedOn':
    'Archivada antes de tiempo por la administración el {day}. Miembros al final: {members}.',
  'lifecycle.file.attachment': 'Adjunto: {name}',
  'notif.cohort_purge_scheduled':
    'Una cohorte en la que estás ha terminado. Sus datos se borrarán; puedes exportar tu historial desde la página de la cohorte.',
  'notif.cohort_purged': 'Una cohorte en la que estabas se ha borrado del servidor.',
};
