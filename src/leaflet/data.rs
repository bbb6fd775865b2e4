//! What a leaflet says: the list of leaflets a site has ([`jobs`]) and, for each, the data the
//! layout receives as `data.json` ([`Data`]). Every text is a plain string; the layout decides
//! how it looks.

use super::text::{EasyBlock, easy_blocks, first_sentences, html_to_text, intro};
use super::{Format, LeafletOptions};
use crate::model::{EasyDoc, ServiceFields};
use crate::resolve::Site;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// What a leaflet is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Service(usize),
    Charter,
    Quality,
}

/// One leaflet to make.
#[derive(Debug, Clone)]
pub struct Job {
    pub item: Item,
    pub lang: String,
    pub easy: bool,
    /// Output path (`leaflets/lt/paslaugos-pagalba-i-namus.pdf`).
    pub path: String,
    /// Full URL of the page the leaflet belongs to.
    pub url: String,
    pub title: String,
    /// The content file the leaflet is made from (for messages).
    pub source: PathBuf,
}

impl Job {
    pub fn variant(&self) -> &'static str {
        if self.easy { "easy-read" } else { "standard" }
    }
    /// The layout file (in the theme's `leaflet/` folder) that makes this leaflet.
    pub fn layout(&self) -> &'static str {
        match (self.item, self.easy) {
            (_, true) => "/easy.typ",
            (Item::Service(_), false) => "/service.typ",
            (Item::Charter, false) => "/charter.typ",
            (Item::Quality, false) => "/quality.typ",
        }
    }
}

/// Every leaflet of the site, in language order, then services (catalogue order), the charter and
/// the quality policy, each standard then easy-read.
pub fn jobs(site: &Site, opts: &LeafletOptions) -> Vec<Job> {
    let c = &site.content;
    let mut out = Vec::new();
    for lang in site.config.lang_codes() {
        // (item, content address, standard (title, file), easy-read (title, file))
        let mut items: Vec<(Item, String, Option<Titled>, Option<Titled>)> = Vec::new();
        for (i, s) in c.services.iter().enumerate() {
            items.push((
                Item::Service(i),
                format!("services/{}", s.id),
                s.docs.get(lang).map(|d| (d.title.clone(), d.file.clone())),
                easy_of(&s.easy, lang),
            ));
        }
        if let Some(ch) = &c.charter {
            items.push((
                Item::Charter,
                "charter".into(),
                ch.docs.get(lang).map(|d| (d.title.clone(), d.file.clone())),
                easy_of(&ch.easy, lang),
            ));
        }
        if let Some(q) = &c.quality {
            items.push((
                Item::Quality,
                "quality-policy".into(),
                q.docs.get(lang).map(|d| (d.title.clone(), d.file.clone())),
                easy_of(&q.easy, lang),
            ));
        }
        for (item, address, standard, easy) in items {
            let Some((title, source)) = standard else { continue };
            let Some(page) = site.path_of(&address, lang) else { continue };
            out.push(Job {
                item,
                lang: lang.to_string(),
                easy: false,
                path: output_path(site, lang, page, opts),
                url: site.absolute(page),
                title,
                source,
            });
            if let Some((title, source)) = easy
                && let Some(page) = site.path_of(&format!("{address}/easy"), lang)
            {
                out.push(Job {
                    item,
                    lang: lang.to_string(),
                    easy: true,
                    path: output_path(site, lang, page, opts),
                    url: site.absolute(page),
                    title,
                    source,
                });
            }
        }
    }
    out
}

/// A title and the content file it is written in.
type Titled = (String, PathBuf);

fn easy_of(easy: &crate::model::Docs<EasyDoc>, lang: &str) -> Option<Titled> {
    easy.get(lang).map(|e| (e.title.clone(), e.file.clone()))
}

/// `leaflets/<lang>/<page path with dashes>.pdf`; print-shop files go to `leaflets/print/<lang>/`
/// so they never replace the screen versions the website links to.
fn output_path(site: &Site, lang: &str, page: &str, opts: &LeafletOptions) -> String {
    let mut p = page;
    if lang != site.config.default_lang() {
        p = p.strip_prefix(&format!("{lang}/")).unwrap_or(p);
    }
    let name: String = p.trim_end_matches(".html").split('/').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("-");
    let name = if name.is_empty() { "index".to_string() } else { name };
    if opts.print_shop { format!("leaflets/print/{lang}/{name}.pdf") } else { format!("leaflets/{lang}/{name}.pdf") }
}

/// The data a layout receives (`json("data.json")`).
#[derive(Debug, Serialize)]
pub struct Data {
    /// `service`, `charter` or `quality`.
    pub kind: &'static str,
    /// `standard` or `easy-read`.
    pub variant: &'static str,
    pub lang: String,
    /// Which way the language is written: `ltr` or `rtl`.
    pub dir: &'static str,
    /// `a5`, `a4` or `a4-trifold`.
    pub format: &'static str,
    pub print: Print,
    /// Interface strings: i18n keys (`service.cost`) and the theme's leaflet strings (`leaflet.scan`).
    pub labels: BTreeMap<String, String>,
    /// The labels not yet translated into the leaflet's language, with the language they are
    /// printed in (the layouts mark them with it).
    pub label_langs: BTreeMap<String, String>,
    pub site: SiteInfo,
    pub title: String,
    pub summary: String,
    /// A short plain version of the body: its opening paragraphs.
    pub intro: Vec<String>,
    /// The page online (what the QR code holds).
    pub url: String,
    pub qr: Image,
    /// The review date in words (`2026 m. rugsėjo 15 d.`) and as numbers (for the PDF metadata).
    pub reviewed: String,
    pub reviewed_date: Ymd,
    pub contact: Contact,
    pub feedback: Feedback,
    /// The charter's commitments in brief, with their numbers.
    pub rights: Vec<Right>,
    /// The language of `rights` when the charter is not yet translated into the leaflet's.
    pub rights_lang: Option<String>,
    pub service: Option<ServiceData>,
    pub charter: Option<CharterData>,
    pub quality: Option<QualityData>,
    pub easy: Option<EasyData>,
}

#[derive(Debug, Serialize)]
pub struct Print {
    /// Print-shop mode: 3 mm bleed on every page.
    pub bleed: bool,
    pub crop_marks: bool,
    /// How a print-shop booklet reaches its page count (`None`: as the text runs).
    pub booklet: Option<Booklet>,
}

/// What the layout does so a print-shop booklet has the page count its binding needs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Booklet {
    /// Set the text a little closer (spacing and margins; the type sizes stay).
    pub tight: bool,
    /// Keep each easy-read section and the glossary on one page where they fit.
    pub whole_sections: bool,
    /// Start the back part (contacts, QR code) on a page of its own, the last.
    pub back_alone: bool,
    /// Pages for the reader's notes, phone numbers and appointments, before the back part.
    pub notes: usize,
}

#[derive(Debug, Serialize)]
pub struct SiteInfo {
    pub title: String,
    pub organisation: String,
}

#[derive(Debug, Serialize)]
pub struct Image {
    /// Path in the layout's virtual project (`/qr.svg`, `/pictograms/phone.svg`).
    pub file: String,
    pub alt: String,
}

#[derive(Debug, Serialize)]
pub struct Ymd {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

#[derive(Debug, Serialize)]
pub struct Contact {
    /// Who provides the service (or publishes the text).
    pub name: String,
    /// The language of `name` when it is not the leaflet's (not yet translated).
    pub name_lang: Option<String>,
    pub phone: Option<String>,
    pub phone_e164: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub address: Option<String>,
    /// The language of `address` when it is not the leaflet's (not yet translated).
    pub address_lang: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Feedback {
    pub phone: String,
    pub email: String,
    /// The charter's own words on giving feedback, if it has them.
    pub text: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Right {
    pub number: usize,
    pub title: String,
    /// The commitment's first sentence.
    pub brief: String,
}

#[derive(Debug, Serialize)]
pub struct ServiceData {
    pub provider: String,
    /// The language of `provider` when it is not the leaflet's.
    pub provider_lang: Option<String>,
    pub home_visit: bool,
    #[serde(flatten)]
    pub fields: ServiceFields,
}

#[derive(Debug, Serialize)]
pub struct CharterData {
    pub expectations: Vec<ExpectationData>,
    /// Every signatory's name; one whose text is not yet translated in the default language.
    pub signatories: Vec<String>,
    /// For each signatory, the language of its name when it is not the leaflet's.
    pub signatories_lang: Vec<Option<String>>,
    pub signed: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ExpectationData {
    pub title: String,
    pub commitments: Vec<Right>,
}

#[derive(Debug, Serialize)]
pub struct QualityData {
    pub provider: String,
    /// The language of `provider` when it is not the leaflet's.
    pub provider_lang: Option<String>,
    pub vision: String,
    pub mission: String,
    pub principles: Vec<Principle>,
    /// Goals and staff duties, numbered as in the source document (`[numbering]`).
    pub goals: Vec<crate::model::NumberedItem>,
    pub staff_commitments: Vec<crate::model::NumberedItem>,
}

#[derive(Debug, Serialize)]
pub struct Principle {
    pub name: String,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct EasyData {
    pub level: u8,
    pub blocks: Vec<EasyBlockData>,
    pub glossary: Vec<GlossaryEntry>,
    pub checked_by: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct EasyBlockData {
    #[serde(flatten)]
    pub block: EasyBlock,
    /// The pictogram as an image, when the theme has it.
    pub image: Option<Image>,
}

#[derive(Debug, Serialize)]
pub struct GlossaryEntry {
    pub term: String,
    pub explanation: String,
    /// Other forms of the word the text uses.
    pub forms: Vec<String>,
}

/// i18n keys the layouts may use (`labels` in the data).
const I18N_KEYS: &[&str] = &[
    "service.about",
    "service.provider",
    "service.eligibility",
    "service.how_to_apply",
    "service.documents",
    "service.cost",
    "service.waiting_time",
    "service.home_visit",
    "service.contacts",
    "service.phone",
    "service.email",
    "service.website",
    "service.address",
    "service.rights",
    "service.rights_intro",
    "review.reviewed",
    "charter.feedback",
    "charter.signatories",
    "charter.signed",
    "charter.expectation",
    "charter.our_commitments",
    "charter.commitment",
    "quality.vision",
    "quality.mission",
    "quality.principles",
    "quality.principles_intro",
    "quality.provider",
    "quality.goals",
    "quality.staff",
    "easy.label",
    "easy.glossary",
    "easy.checked",
    "easy.not_checked",
    "easy.call",
    "home.contacts_title",
];

/// Builds the data of one leaflet and its QR code SVG.
pub fn build(
    site: &Site,
    job: &Job,
    opts: &LeafletOptions,
    format: Format,
    theme_strings: &super::Strings,
    has_pictogram: &dyn Fn(&str) -> bool,
) -> crate::error::Result<(Data, String)> {
    let c = &site.content;
    let lang = job.lang.as_str();
    let t = site.i18n.lang(lang);
    // The language of a text shown in the leaflet, when it is not the leaflet's.
    let other = |l: &str| (l != lang).then(|| l.to_string());
    let mut labels: BTreeMap<String, String> =
        I18N_KEYS.iter().map(|k| (k.to_string(), t.get(k).to_string())).collect();
    labels.extend(theme_strings.iter().map(|(k, (v, _))| (format!("leaflet.{k}"), v.clone())));
    let label_langs: BTreeMap<String, String> =
        theme_strings.iter().filter_map(|(k, (_, l))| other(l).map(|l| (format!("leaflet.{k}"), l))).collect();
    let language = site.config.language(lang);
    let qr_svg = super::qr::svg(&job.url)?;
    let qr_alt = format!("{}: {}", theme_strings.get("qr_alt").map(|(s, _)| s.as_str()).unwrap_or("QR code"), job.url);

    let (rights, rights_lang) = commitments(site, lang);
    let rights_lang = rights_lang.and_then(|l| other(&l));
    let site_contact = &site.config.contact;
    let mut contact = Contact {
        name: language.organisation.clone(),
        name_lang: None,
        phone: Some(site_contact.phone.display.clone()),
        phone_e164: Some(site_contact.phone.e164.clone()),
        email: Some(site_contact.email.clone()),
        website: site_contact.url.clone(),
        address: None,
        address_lang: None,
    };
    let fb = &site.config.feedback;
    let mut feedback = Feedback { phone: fb.phone.display.clone(), email: fb.email.clone(), text: None };
    if let Some(ch) = &c.charter {
        feedback.text = ch.docs.get(lang).and_then(|d| d.fields.feedback.clone());
    }

    // An institution's name, in the default language while it is not translated (never left
    // out), and that language when it is not the leaflet's.
    let provider_name = |id: &str| -> Option<(String, Option<String>)> {
        site.provider(id).and_then(|p| site.doc_in(&p.docs, lang)).map(|d| (d.title.clone(), other(&d.lang)))
    };
    let (kind, summary, body_intro, review, service, charter, quality) = match job.item {
        Item::Service(i) => {
            let s = &c.services[i];
            let d = &s.docs[lang];
            let provider = site.provider(&s.provider);
            // The service's own contact facts first, then its provider's, then the site's (the
            // layout says what the site's feedback line is for).
            let pc = provider.map(|p| &p.contact);
            let reach = site.service_reach(s);
            contact.phone = Some(reach.phone.display.clone());
            contact.phone_e164 = Some(reach.phone.e164.clone());
            contact.email = Some(reach.email.to_string());
            if let Some(w) = s.contact.website.clone().or_else(|| pc.and_then(|c| c.website.clone())) {
                contact.website = Some(w);
            }
            if let Some(a) = s.contact.address.as_ref().or(pc.and_then(|c| c.address.as_ref())) {
                let a = site.shown(a, lang);
                if !a.text.is_empty() {
                    contact.address = Some(a.text.to_string());
                    contact.address_lang = other(a.lang);
                }
            }
            let (pname, plang) = provider_name(&s.provider).unwrap_or_default();
            if !pname.is_empty() {
                contact.name = pname.clone();
                contact.name_lang = plang.clone();
            }
            let service = ServiceData {
                provider: pname,
                provider_lang: plang,
                home_visit: s.home_visit,
                fields: d.fields.clone(),
            };
            (
                "service",
                d.summary.clone(),
                intro(&site.body_plain(d)?, &d.body.headings, 420),
                &s.review,
                Some(service),
                None,
                None,
            )
        }
        Item::Charter => {
            let ch = c.charter.as_ref().expect("job for an existing charter");
            let d = &ch.docs[lang];
            let expectations = ch
                .expectations
                .iter()
                .map(|e| ExpectationData {
                    title: d.fields.expectations.get(&e.id).cloned().unwrap_or_default(),
                    commitments: e
                        .commitments
                        .iter()
                        .filter_map(|id| rights.iter().find(|r| Some(r.number) == ch.number_of(id)).map(clone_right))
                        .collect(),
                })
                .collect();
            // Every signatory: one whose institution is not translated yet by its name in the
            // default language, marked with it; one that cannot be found by its id.
            let (signatories, signatories_lang) =
                ch.signatories.iter().map(|id| provider_name(id).unwrap_or_else(|| (id.clone(), None))).unzip();
            let signed = ch.signed.map(|s| crate::render::human_date(site, lang, s));
            (
                "charter",
                d.summary.clone(),
                intro(&site.body_plain(d)?, &d.body.headings, 420),
                &ch.review,
                None,
                Some(CharterData { expectations, signatories, signatories_lang, signed }),
                None,
            )
        }
        Item::Quality => {
            let q = c.quality.as_ref().expect("job for an existing quality policy");
            let d = &q.docs[lang];
            let (pname, plang) = provider_name(&q.provider).unwrap_or_default();
            if let Some(p) = site.provider(&q.provider) {
                if let Some(ph) = &p.contact.phone {
                    contact.phone = Some(ph.display.clone());
                    contact.phone_e164 = Some(ph.e164.clone());
                }
                if let Some(e) = &p.contact.email {
                    contact.email = Some(e.clone());
                }
                if p.contact.website.is_some() {
                    contact.website = p.contact.website.clone();
                }
                if let Some(a) = p.contact.address.as_ref().map(|a| site.shown(a, lang)).filter(|a| !a.text.is_empty())
                {
                    contact.address = Some(a.text.to_string());
                    contact.address_lang = other(a.lang);
                }
                if !pname.is_empty() {
                    contact.name = pname.clone();
                    contact.name_lang = plang.clone();
                }
            }
            let principles = d
                .fields
                .principles
                .iter()
                .map(|(k, text)| Principle { name: t.get(&format!("equass.{k}")).to_string(), text: text.clone() })
                .collect();
            let quality = QualityData {
                provider: pname,
                provider_lang: plang,
                vision: d.fields.vision.clone(),
                mission: d.fields.mission.clone(),
                principles,
                goals: crate::model::numbered(q.numbering.goals.as_deref(), &d.fields.goals),
                staff_commitments: crate::model::numbered(
                    q.numbering.staff_commitments.as_deref(),
                    &d.fields.staff_commitments,
                ),
            };
            (
                "quality",
                d.summary.clone(),
                intro(&site.body_plain(d)?, &d.body.headings, 300),
                &q.review,
                None,
                None,
                Some(quality),
            )
        }
    };

    let easy = if job.easy {
        let e = match job.item {
            Item::Service(i) => &c.services[i].easy[lang],
            Item::Charter => &c.charter.as_ref().expect("charter").easy[lang],
            Item::Quality => &c.quality.as_ref().expect("quality").easy[lang],
        };
        let blocks = easy_blocks(&e.body_source)
            .into_iter()
            .map(|b| {
                let image = b.pictogram.as_deref().filter(|p| has_pictogram(p)).map(|p| Image {
                    file: format!("/pictograms/{p}.svg"),
                    alt: t.get(&format!("pictogram.{p}")).to_string(),
                });
                EasyBlockData { block: b, image }
            })
            .collect();
        Some(EasyData {
            level: e.level,
            blocks,
            glossary: e
                .glossary
                .iter()
                .map(|g| GlossaryEntry {
                    term: g.term.clone(),
                    explanation: g.explanation.clone(),
                    forms: g.forms.clone(),
                })
                .collect(),
            checked_by: e.checked_by.clone(),
        })
    } else {
        None
    };

    let data = Data {
        kind,
        variant: job.variant(),
        lang: lang.to_string(),
        dir: language.dir.as_str(),
        format: format.key(),
        print: Print { bleed: opts.print_shop, crop_marks: opts.print_shop && opts.crop_marks, booklet: None },
        labels,
        label_langs,
        site: SiteInfo { title: language.title.clone(), organisation: language.organisation.clone() },
        title: job.title.clone(),
        summary,
        intro: if job.easy { Vec::new() } else { body_intro },
        url: job.url.clone(),
        qr: Image { file: "/qr.svg".into(), alt: qr_alt },
        reviewed: crate::render::human_date(site, lang, review.reviewed),
        reviewed_date: {
            use chrono::Datelike;
            Ymd { year: review.reviewed.year(), month: review.reviewed.month(), day: review.reviewed.day() }
        },
        contact,
        feedback,
        rights,
        rights_lang,
        service,
        charter,
        quality,
        easy,
    };
    Ok((data, qr_svg))
}

fn clone_right(r: &Right) -> Right {
    Right { number: r.number, title: r.title.clone(), brief: r.brief.clone() }
}

/// The charter's commitments in order, numbered, with their first sentence, and the language they
/// are in (the default language's while the charter is not translated into `lang`).
fn commitments(site: &Site, lang: &str) -> (Vec<Right>, Option<String>) {
    let Some(ch) = &site.content.charter else { return (Vec::new(), None) };
    let Some(d) = site.doc_in(&ch.docs, lang) else { return (Vec::new(), None) };
    let rights = ch
        .commitment_ids()
        .enumerate()
        .filter_map(|(i, id)| {
            let text = d.fields.commitments.get(id)?;
            let plain = html_to_text(&text.html);
            let first = plain.lines().next().unwrap_or("");
            Some(Right { number: i + 1, title: text.title.clone(), brief: first_sentences(first, 160) })
        })
        .collect();
    (rights, Some(d.lang.to_string()))
}
