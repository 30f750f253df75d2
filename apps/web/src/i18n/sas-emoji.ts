import type { Lang } from './index';

/**
 * Names of the 64 SAS emoji (Matrix specification, in its order), keyed by the English name the
 * crypto SDK gives, so that people compare emoji in their own language. The emoji themselves are
 * what is compared; the names only help.
 */
const NAMES: Record<string, { ar: string; es: string }> = {
  Dog: { ar: 'كلب', es: 'Perro' },
  Cat: { ar: 'قطة', es: 'Gato' },
  Lion: { ar: 'أسد', es: 'León' },
  Horse: { ar: 'حصان', es: 'Caballo' },
  Unicorn: { ar: 'وحيد القرن الأسطوري', es: 'Unicornio' },
  Pig: { ar: 'خنزير', es: 'Cerdo' },
  Elephant: { ar: 'فيل', es: 'Elefante' },
  Rabbit: { ar: 'أرنب', es: 'Conejo' },
  Panda: { ar: 'باندا', es: 'Panda' },
  Rooster: { ar: 'ديك', es: 'Gallo' },
  Penguin: { ar: 'بطريق', es: 'Pingüino' },
  Turtle: { ar: 'سلحفاة', es: 'Tortuga' },
  Fish: { ar: 'سمكة', es: 'Pez' },
  Octopus: { ar: 'أخطبوط', es: 'Pulpo' },
  Butterfly: { ar: 'فراشة', es: 'Mariposa' },
  Flower: { ar: 'زهرة', es: 'Flor' },
  Tree: { ar: 'شجرة', es: 'Árbol' },
  Cactus: { ar: 'صبّار', es: 'Cactus' },
  Mushroom: { ar: 'فطر', es: 'Seta' },
  Globe: { ar: 'كرة أرضية', es: 'Globo terráqueo' },
  Moon: { ar: 'قمر', es: 'Luna' },
  Cloud: { ar: 'غيمة', es: 'Nube' },
  Fire: { ar: 'نار', es: 'Fuego' },
  Banana: { ar: 'موزة', es: 'Plátano' },
  Apple: { ar: 'تفاحة', es: 'Manzana' },
  Strawberry: { ar: 'فراولة', es: 'Fresa' },
  Corn: { ar: 'ذرة', es: 'Maíz' },
  Pizza: { ar: 'بيتزا', es: 'Pizza' },
  Cake: { ar: 'كعكة', es: 'Pastel' },
  Heart: { ar: 'قلب', es: 'Corazón' },
  Smiley: { ar: 'وجه مبتسم', es: 'Sonrisa' },
  Robot: { ar: 'روبوت', es: 'Robot' },
  Hat: { ar: 'قبعة', es: 'Sombrero' },
  Glasses: { ar: 'نظارة', es: 'Gafas' },
  Spanner: { ar: 'مفتاح ربط', es: 'Llave inglesa' },
  Santa: { ar: 'بابا نويل', es: 'Papá Noel' },
  'Thumbs Up': { ar: 'إبهام مرفوع', es: 'Pulgar arriba' },
  Umbrella: { ar: 'مظلة', es: 'Paraguas' },
  Hourglass: { ar: 'ساعة رملية', es: 'Reloj de arena' },
  Clock: { ar: 'ساعة', es: 'Reloj' },
  Gift: { ar: 'هدية', es: 'Regalo' },
  'Light Bulb': { ar: 'مصباح', es: 'Bombilla' },
  Book: { ar: 'كتاب', es: 'Libro' },
  Pencil: { ar: 'قلم رصاص', es: 'Lápiz' },
  Paperclip: { ar: 'مشبك ورق', es: 'Clip' },
  Scissors: { ar: 'مقص', es: 'Tijeras' },
  Lock: { ar: 'قفل', es: 'Candado' },
  Key: { ar: 'مفتاح', es: 'Llave' },
  Hammer: { ar: 'مطرقة', es: 'Martillo' },
  Telephone: { ar: 'هاتف', es: 'Teléfono' },
  Flag: { ar: 'علم', es: 'Bandera' },
  Train: { ar: 'قطار', es: 'Tren' },
  Bicycle: { ar: 'دراجة', es: 'Bicicleta' },
  Aeroplane: { ar: 'طائرة', es: 'Avión' },
  Rocket: { ar: 'صاروخ', es: 'Cohete' },
  Trophy: { ar: 'كأس', es: 'Trofeo' },
  Ball: { ar: 'كرة', es: 'Pelota' },
  Guitar: { ar: 'غيتار', es: 'Guitarra' },
  Trumpet: { ar: 'بوق', es: 'Trompeta' },
  Bell: { ar: 'جرس', es: 'Campana' },
  Anchor: { ar: 'مرساة', es: 'Ancla' },
  Headphones: { ar: 'سماعات', es: 'Auriculares' },
  Folder: { ar: 'مجلد', es: 'Carpeta' },
  Pin: { ar: 'دبوس', es: 'Chincheta' },
};

/** The emoji's name in the reader's language (English when unknown). */
export function sasEmojiName(english: string, lang: Lang): string {
  if (lang === 'en') return english;
  return NAMES[english]?.[lang] ?? english;
}
