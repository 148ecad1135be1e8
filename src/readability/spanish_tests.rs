//! Tests of the Spanish scores: syllables, sentences, formulas.

use super::tests::{close, split, word_counts};
use super::*;

use Language::Spanish;

/// Spanish words and their syllables, as `word count` pairs; lines ending
/// in `:` are headings. Counts follow the Real Academia's spelling rules
/// (Ortografía de la lengua española, 2010): a weak vowel (i, u) beside
/// another vowel makes a diphthong unless an accent parts them (dí-a); two
/// strong vowels (a, e, o) are a hiatus; an h between vowels does not part
/// them (prohi-bir, ahu-mar: the RAE's own examples).
const KNOWN: &str = "
    The words the brief names:
     día 2  ciudad 2  país 2  Uruguay 3  buey 1  reír 2  leer 2  caos 2  huevo 2  guerra 2
     pingüino 3
    qu and gu before e and i, gü:
     que 1  queso 2  quiero 2  química 3  aquí 2  guitarra 3  seguir 2  guía 2  águila 3
     aguinaldo 4  pequeño 3  esquina 3  querer 2  quince 2  porque 2  quizás 2  guiso 2
     sigue 2  llegue 2  quirófano 4  esguince 3  agua 2  antiguo 3  lengua 2  guante 2
     seguro 3  vergüenza 3  antigüedad 4  cigüeña 3  lingüística 4  agüero 3  bilingüe 3
     averigüe 4
    The letter y:
     y 1  hoy 1  muy 1  rey 1  ley 1  estoy 2  hay 1  voy 1  Paraguay 3  jersey 2  yo 1
     mayo 2  ayuda 3  ayudar 3  leyes 2  desayuno 4  playa 2  ayer 2
    Diphthongs:
     cielo 2  tiene 2  bueno 2  aire 2  causa 2  peine 2  oigo 2  ruido 2  cuidado 3
     viuda 2  Europa 3  reuma 2  deuda 2  hielo 2  piano 2  nieve 2  fuego 2  baile 2
     auto 2  aceite 3  siempre 2  también 2  después 2  adiós 2  aunque 2  cuidar 2
     cuídese 3  cáustico 3  acción 2  farmacia 3  Mario 2  Luis 1  huir 1  miau 1
     Triphthongs:
     guau 1  estudiáis 3  averiguáis 4  limpiéis 2  actuáis 2
    Hiatus:
     poeta 3  teatro 3  museo 3  idea 3  feo 2  leal 2  creer 2  roedor 3  maestro 3
     paseo 3  toalla 3  área 3  vídeo 3  oeste 3  línea 3  aéreo 4  océano 4  zoológico 5
     caer 2  traer 2  ahora 3  náusea 3  tía 2  río 2  baúl 2  maíz 2  raíz 2  púa 2
     frío 2  ataúd 3  sabía 3  leíste 3  Lucía 3  María 3  Raúl 2  policía 4  energía 4
     oído 3  oír 2  aún 2  leído 3  creído 3  chiita 3  duunviro 4  friísimo 4
    The letter h:
     hombre 2  hueso 2  prohibir 2  prohíbe 3  ahumar 2  rehúso 3  ahijado 3  búho 2
     zanahoria 4  alcohol 3  cohete 3  vehículo 4  deshacer 3  rehabilitación 6
     hidratación 4  hospital 3
    Health:
     salud 2  dolor 2  rodilla 3  espalda 3  hombro 2  cadera 3  tobillo 3  músculo 3
     tendón 2  terapia 3  fisioterapia 5  fisioterapeuta 6  tratamiento 4  ejercicio 4
     inflamación 4  lesión 2  medicamento 5  paciente 3  médico 3  médica 3  clínica 3
     enfermedad 4  enfermera 4  presión 2  arterial 3  corazón 3  pulmón 2  cabeza 3
     estómago 4  dieta 2  agudo 3  crónico 3  alivio 3  masaje 3  aguja 3  punción 2
     seca 2  acupuntura 5  quiropráctico 5  cirugía 4  anestesia 4  radiografía 5
     resonancia 4  magnética 4  ecografía 5  ibuprofeno 5  paracetamol 5  vacuna 3
     fiebre 2  tos 1  gripe 2  articulación 5  postura 3  caminar 3  sentarse 3  dormir 2
     sueño 2  ansiedad 3  estrés 2  cuello 2  muñeca 3  codo 2  pie 1  pierna 2
     tendinitis 4  fascitis 3  plantar 2  ciática 3  hernia 2  discal 2  ligamento 4
     menisco 3  cartílago 4  artritis 3  artrosis 3  osteoporosis 6  diabetes 3
     neurología 5  biología 4  urgencias 3  teléfono 4  cita 2  consulta 3  usted 2
     ustedes 3  niño 2  año 2  mujer 2
    Capitals, abbreviations, numbers, compounds:
     ÁREA 3  Día 2  ONU 2  Dr 2  Dra 3  Sr 2  Sra 3  Srta 4  Ud 2  etc 4  EE 3  UU 3
     pág 3  núm 3  n.º 3  ADN 4  TC 2  RM 4  VIH 4  2,5 2  10.000 2  1.º 1
     físico-químico 6  sacro-ilíaco 6
";

fn known() -> Vec<(&'static str, u32)> {
    word_counts(KNOWN)
}

#[test]
fn known_spanish_syllable_counts() {
    let known = known();
    assert!(known.len() >= 150, "{}", known.len());
    let wrong: Vec<String> = known
        .iter()
        .filter(|&&(word, n)| Spanish.syllables(word) != n)
        .map(|&(word, n)| format!("{word}: {} (want {n})", Spanish.syllables(word)))
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn spanish_exceptions_are_sorted_and_needed() {
    for pair in spanish::EXCEPTIONS.windows(2) {
        if let [(a, _), (b, _)] = pair {
            assert!(a < b, "{a:?} must come before {b:?}");
        }
    }
    for &(key, n) in spanish::EXCEPTIONS {
        assert_ne!(spanish::nuclei(key), n, "{key:?} needs no exception");
    }
}

#[test]
fn the_two_languages_count_apart() {
    // The same spelling, two readings.
    for (word, en, es) in [
        ("come", 1, 2),
        ("fine", 1, 2),
        ("pie", 1, 1),
        ("real", 1, 2),
    ] {
        assert_eq!(Language::English.syllables(word), en, "{word} in English");
        assert_eq!(Spanish.syllables(word), es, "{word} in Spanish");
    }
}

#[test]
fn splits_spanish_sentences() {
    let cases: &[(&str, &[&str])] = &[
        ("¿Le duele? Llame hoy.", &["¿Le duele?", "Llame hoy."]),
        (
            "Tome agua. ¿Tiene fiebre? ¡Llame al médico!",
            &["Tome agua.", "¿Tiene fiebre?", "¡Llame al médico!"],
        ),
        (
            "Si le duele, ¿qué puede hacer? Descanse.",
            &["Si le duele, ¿qué puede hacer?", "Descanse."],
        ),
        (
            "La Dra. López la verá. El Sr. Pérez no.",
            &["La Dra. López la verá.", "El Sr. Pérez no."],
        ),
        (
            "Pregunte por la Sra. Gómez o la Srta. Ruiz.",
            &["Pregunte por la Sra. Gómez o la Srta. Ruiz."],
        ),
        (
            "Traiga su tarjeta, su receta, etc. Luego pase.",
            &["Traiga su tarjeta, su receta, etc.", "Luego pase."],
        ),
        (
            "Hielo, reposo, etc. ayudan mucho.",
            &["Hielo, reposo, etc. ayudan mucho."],
        ),
        (
            "Vive en EE. UU. desde 2010.",
            &["Vive en EE. UU. desde 2010."],
        ),
        (
            "Vive en EE. UU. Tiene dos hijos.",
            &["Vive en EE. UU.", "Tiene dos hijos."],
        ),
        (
            "Vea la pág. 5 del folleto.",
            &["Vea la pág. 5 del folleto."],
        ),
        (
            "Es el núm. 12 de la Av. Central.",
            &["Es el núm. 12 de la Av. Central."],
        ),
        (
            "Tome un analgésico, p. ej. Paracetamol.",
            &["Tome un analgésico, p. ej. Paracetamol."],
        ),
        (
            "Tome 2,5 mg. Luego descanse.",
            &["Tome 2,5 mg.", "Luego descanse."],
        ),
        ("Lo atiende J. García.", &["Lo atiende J. García."]),
        (
            "Tome vitamina D. Ayuda a los huesos.",
            &["Tome vitamina D.", "Ayuda a los huesos."],
        ),
        (
            "Abrimos a las 8 a. m. Llame antes.",
            &["Abrimos a las 8 a. m.", "Llame antes."],
        ),
        (
            "«Descanse», dijo. «Ya pasará.»",
            &["«Descanse», dijo.", "«Ya pasará.»"],
        ),
        (
            "Es el 1.º de mayo. ¡Feliz día!",
            &["Es el 1.º de mayo.", "¡Feliz día!"],
        ),
        ("¿¡Qué!? Sí.", &["¿¡Qué!?", "Sí."]),
    ];
    for (text, want) in cases {
        assert_eq!(split(text), *want, "{text}");
    }
}

fn spanish_figures(scores: &Scores) -> (f64, f64) {
    match scores.formulas {
        Formulas::Spanish {
            inflesz,
            fernandez_huerta,
        } => (inflesz, fernandez_huerta),
        Formulas::English { .. } => panic!("Spanish text scored as English"),
    }
}

#[test]
fn spanish_formulas_match_hand_computation() {
    // El(1) do-lor(2) de(1) es-pal-da(3) es(1) co-mún(2): 6 words, 10
    // syllables. Ca-mi-ne(3) un(1) po-co(2) ca-da(2) dí-a(2): 5 words, 10.
    let scores = score(
        &[Block {
            text: "El dolor de espalda es común. Camine un poco cada día.",
            line: 1,
        }],
        Spanish,
    );
    assert_eq!(scores.language, Spanish);
    assert_eq!(
        (scores.words, scores.sentences, scores.syllables),
        (11, 2, 20)
    );
    let (inflesz, fernandez_huerta) = spanish_figures(&scores);
    // 206.835 - 62.3 * 20/11 - 11/2
    assert!(close(inflesz, 206.835 - 62.3 * 20.0 / 11.0 - 5.5));
    assert!(close(inflesz, 88.062_272_727_272_7));
    // 206.84 - 60 * 20/11 - 1.02 * 11/2
    assert!(close(
        fernandez_huerta,
        206.84 - 60.0 * 20.0 / 11.0 - 1.02 * 5.5
    ));
    assert!(close(fernandez_huerta, 92.139_090_909_090_9));
    // Each sentence on its own: 206.835 - 62.3 * 10/6 - 6 = 97.00, and
    // 206.835 - 62.3 * 2 - 5 = 77.235, the harder (lower).
    let hardest: Vec<(usize, f64)> = scores
        .hardest
        .iter()
        .map(|h| (h.words, h.score.value()))
        .collect();
    assert_eq!(hardest.len(), 2);
    assert!(matches!(hardest.as_slice(), [(5, a), (6, b)]
        if close(*a, 77.235) && close(*b, 206.835 - 62.3 * 10.0 / 6.0 - 6.0)));
}

#[test]
fn spanish_questions_score_as_sentences() {
    // Le(1) due-le(2) la(1) ro-di-lla(3): 4 words, 7 syllables.
    // Pón-ga-se(3) hie-lo(2) du-ran-te(3) quin-ce(2) mi-nu-tos(3): 5, 13.
    let scores = score(
        &[Block {
            text: "¿Le duele la rodilla? Póngase hielo durante quince minutos.",
            line: 3,
        }],
        Spanish,
    );
    assert_eq!(
        (scores.words, scores.sentences, scores.syllables),
        (9, 2, 20)
    );
    let (inflesz, fernandez_huerta) = spanish_figures(&scores);
    assert!(close(inflesz, 206.835 - 62.3 * 20.0 / 9.0 - 4.5));
    assert!(close(
        fernandez_huerta,
        206.84 - 60.0 * 20.0 / 9.0 - 1.02 * 4.5
    ));
    assert_eq!(
        scores.headline(),
        SentenceScore::Inflesz { inflesz },
        "INFLESZ is the judged figure"
    );
    let first = scores.hardest.first().map(|h| (h.text.as_str(), h.line));
    assert_eq!(first, Some(("Póngase hielo durante quince minutos.", 3)));
}

#[test]
fn spanish_json_names_its_figures() {
    let scores = score(
        &[Block {
            text: "Camine un poco cada día.",
            line: 1,
        }],
        Spanish,
    );
    let json = serde_json::to_value(&scores).unwrap_or_default();
    assert_eq!(json["language"], "es");
    for key in ["inflesz", "fernandez_huerta", "words", "sentences"] {
        assert!(json[key].is_number(), "{key}: {json}");
    }
    assert!(json["flesch_kincaid_grade"].is_null());
    assert!(json["hardest"][0]["inflesz"].is_number(), "{json}");
    assert!(json["hardest"][0]["grade"].is_null());
}

#[test]
fn inflesz_bands() {
    let bands: Vec<&str> = [10.0, 39.9, 40.0, 54.9, 55.0, 64.9, 65.0, 79.9, 80.0, 120.0]
        .into_iter()
        .map(inflesz_band)
        .collect();
    assert_eq!(
        bands,
        [
            "very hard, muy difícil",
            "very hard, muy difícil",
            "somewhat hard, algo difícil",
            "somewhat hard, algo difícil",
            "normal",
            "normal",
            "fairly easy, bastante fácil",
            "fairly easy, bastante fácil",
            "very easy, muy fácil",
            "very easy, muy fácil",
        ]
    );
}

#[test]
fn language_tags() {
    for (tag, want) in [
        ("en", Some(Language::English)),
        ("en-US", Some(Language::English)),
        ("es", Some(Spanish)),
        ("es-MX", Some(Spanish)),
        ("ES_us", Some(Spanish)),
        ("fr", None),
        ("", None),
        ("e", None),
        ("español", None),
    ] {
        assert_eq!(Language::from_tag(tag), want, "{tag}");
    }
}

#[test]
fn odd_spanish_words_do_not_panic() {
    for word in [
        "", "¿", "¡", "º", "ª", "n.º", "qu", "gu", "güe", "hhh", "yyy", "h", "ü", "ÍÚ", "Ñ", "'",
        "-", "--", "a-", "漢字", "q", "ỳ", "e\u{301}",
    ] {
        let n = Spanish.syllables(word);
        assert!((1..=12).contains(&n), "{word:?}: {n}");
    }
}
