/**
 * Retention texts, kept apart from the main catalogues so that work on this area changes one file.
 * English is the reference; Arabic and Spanish must translate every key (checked by tsc).
 */
export const retentionEn = {
  'retention.label': 'Disappearing messages',
  'retention.off': 'Off: messages stay',
  'retention.days.1': '1 day',
  'retention.days.7': '7 days',
  'retention.days.30': '30 days',
  'retention.days.90': '90 days',
  'retention.status.off': 'Messages stay',
  'retention.status.on': 'Messages disappear after {period}',
  'retention.setBy': 'Set by {who}, {when}',
  'retention.save': 'Save',
  'retention.saving': 'Saving…',
  'retention.help':
    'Everyone’s copies are deleted after this time: on the hub and on the members’ devices. Someone can still keep a message by copying it or taking a screenshot.',
} as const;

type Keys = keyof typeof retentionEn;

export const retentionAr: Record<Keys, string> = {
  'retention.label': 'الرسائل المؤقتة',
  'retention.off': 'متوقفة: تبقى الرسائل',
  'retention.days.1': 'يوم واحد',
  'retention.days.7': '7 أيام',
  'retention.days.30': '30 يومًا',
  'retention.days.90': '90 يومًا',
  'retention.status.off': 'تبقى الرسائل',
  'retention.status.on': 'تختفي الرسائل بعد {period}',
  'retention.setBy': 'ضبطها {who}، {when}',
  'retention.save': 'حفظ',
  'retention.saving': 'جارٍ الحفظ…',
  'retention.help':
    'تُحذف نسخ الجميع بعد هذه المدة: على الخادم وعلى أجهزة الأعضاء. لكن يظل بإمكان أي شخص الاحتفاظ برسالة بنسخها أو بالتقاط صورة للشاشة.',
};

export const retentionEs: Record<Keys, string> = {
  'retention.label': 'Mensajes temporales',
  'retention.off': 'Desactivado: los mensajes se quedan',
  'retention.days.1': '1 día',
  'retention.days.7': '7 días',
  'retention.days.30': '30 días',
  'retention.days.90': '90 días',
  'retention.status.off': 'Los mensajes se quedan',
  'retention.status.on': 'Los mensajes desaparecen después de {period}',
  'retention.setBy': 'Lo decidió {who}, {when}',
  'retention.save': 'Guardar',
  'retention.saving': 'Guardando…',
  'retention.help':
    'Las copias de todos se borran pasado este tiempo: en el servidor y en los dispositivos de los miembros. Aun así, alguien puede guardar un mensaje copiándolo o con una captura de pantalla.',
};
