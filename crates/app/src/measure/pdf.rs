//! The monthly report as a PDF, with Hebrew set right to left. The font is a TrueType font of
//! the system that has Hebrew letters (DejaVu Sans by default, or the `report_font` setting),
//! embedded whole; each line is put in visual order by the Unicode bidi algorithm, then written
//! as glyph ids (Identity-H) with a ToUnicode map, so that the text can be searched and copied.
//! Hebrew needs no shaping beyond that; points (niqqud) are not placed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};
use unicode_bidi::{BidiInfo, Level};

use super::report::Report;
use crate::i18n;
use crate::{AppError, Result};
use kehilla_domain::measure as rules;
use kehilla_domain::validate::Lang;

/// Where a font with Hebrew letters is usually found.
pub const FONT_PATHS: [&str; 4] = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansHebrew-Regular.ttf",
    "/usr/share/fonts/truetype/freefont/FreeSans.ttf",
    "/usr/share/fonts/truetype/culmus/DavidCLM-Medium.otf",
];

/// The font to use: the setting's, else the first of [`FONT_PATHS`] that exists.
pub fn font_path(setting: Option<&Path>) -> Option<PathBuf> {
    match setting {
        Some(p) => Some(p.to_path_buf()),
        None => FONT_PATHS.iter().map(PathBuf::from).find(|p| p.exists()),
    }
}

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 50.0;
/// A goal chart's height, and the size of its labels.
const CHART_H: f32 = 60.0;
const LABEL: f32 = 8.0;
/// The line of a goal's figures and its target, in the dashboard's colours (#0969da, #1a7f37).
pub const CHART_RGB: (f32, f32, f32) = (0.035, 0.412, 0.855);
const TARGET_RGB: (f32, f32, f32) = (0.102, 0.498, 0.216);

struct Writer<'f> {
    face: ttf_parser::Face<'f>,
    rtl: bool,
    pages: Vec<Content>,
    y: f32,
    /// Glyphs used, with the text they stand for (for the ToUnicode map) and their width.
    used: BTreeMap<u16, (char, f32)>,
}

impl Writer<'_> {
    fn new_page(&mut self) {
        self.pages.push(Content::new());
        self.y = PAGE_H - MARGIN;
    }

    /// Writes one line at `size` points, aligned to the start side of the language.
    fn line(&mut self, text: &str, size: f32) {
        let leading = size * 1.5;
        self.room(leading);
        self.y -= leading;
        let (glyphs, width) = self.shape(text, size);
        let x = if self.rtl {
            (PAGE_W - MARGIN - width).max(MARGIN)
        } else {
            MARGIN
        };
        let y = self.y;
        self.show(x, y, size, &glyphs);
    }

    /// Starts a new page unless `height` points still fit on this one.
    fn room(&mut self, height: f32) {
        if self.y - height < MARGIN || self.pages.is_empty() {
            self.new_page();
        }
    }

    /// The glyphs of `text` in visual order (by the bidi algorithm), and their width at `size`.
    fn shape(&mut self, text: &str, size: f32) -> (Vec<u8>, f32) {
        let visual = visual_order(text, self.rtl);
        let scale = 1000.0 / f32::from(self.face.units_per_em());
        let mut glyphs = Vec::new();
        let mut width = 0.0;
        for c in visual.chars() {
            // In a right-to-left run, brackets are drawn mirrored.
            let c = if self.rtl { mirror(c) } else { c };
            let gid = self.face.glyph_index(c).map_or(0, |g| g.0);
            let advance = self
                .face
                .glyph_hor_advance(ttf_parser::GlyphId(gid))
                .map_or(0.0, |a| f32::from(a) * scale);
            self.used.entry(gid).or_insert((c, advance));
            glyphs.extend_from_slice(&gid.to_be_bytes());
            width += advance * size / 1000.0;
        }
        (glyphs, width)
    }

    fn show(&mut self, x: f32, y: f32, size: f32, glyphs: &[u8]) {
        if let Some(page) = self.pages.last_mut() {
            page.begin_text();
            page.set_font(Name(b"F1"), size);
            page.next_line(x, y);
            page.show(Str(glyphs));
            page.end_text();
        }
    }

    /// Writes `text` small, its start at `x` (its end, in a right-to-left language).
    fn label(&mut self, x: f32, y: f32, text: &str) {
        let (glyphs, width) = self.shape(text, LABEL);
        let x = if self.rtl { x - width } else { x };
        self.show(x, y, LABEL, &glyphs);
    }

    /// A goal's chart: its points as a line and its target as a dashed line over its period,
    /// time running in the reading direction (right to left in Hebrew), the first and last
    /// day written under it and the target beside its line.
    fn chart(&mut self, points: &[(i64, f64)], target: f64, first_day: i64, last_day: i64) {
        self.room(CHART_H + 2.0 * LABEL + 12.0);
        self.y -= 6.0;
        let (left, right) = (MARGIN, PAGE_W - MARGIN);
        let (top, bottom) = (self.y, self.y - CHART_H);
        let values = points.iter().map(|p| p.1).chain([target]);
        let lo = values.clone().fold(f64::INFINITY, f64::min).min(0.0);
        let hi = values.fold(f64::NEG_INFINITY, f64::max);
        let span = if hi - lo > f64::EPSILON { hi - lo } else { 1.0 };
        let days = (last_day - first_day).max(1) as f32;
        let rtl = self.rtl;
        let x_of = |d: i64| {
            let t = (d - first_day) as f32 / days;
            if rtl {
                right - t * (right - left)
            } else {
                left + t * (right - left)
            }
        };
        let y_of = |v: f64| bottom + ((v - lo) / span) as f32 * CHART_H;
        if let Some(page) = self.pages.last_mut() {
            page.save_state();
            page.set_stroke_gray(0.8);
            page.set_line_width(0.5);
            page.rect(left, bottom, right - left, CHART_H);
            page.stroke();
            page.set_stroke_rgb(TARGET_RGB.0, TARGET_RGB.1, TARGET_RGB.2);
            page.set_dash_pattern([3.0, 2.0], 0.0);
            page.move_to(left, y_of(target));
            page.line_to(right, y_of(target));
            page.stroke();
            page.restore_state();
            if let Some((first, rest)) = points.split_first() {
                page.save_state();
                page.set_stroke_rgb(CHART_RGB.0, CHART_RGB.1, CHART_RGB.2);
                page.set_line_width(1.5);
                page.move_to(x_of(first.0), y_of(first.1));
                for p in rest {
                    page.line_to(x_of(p.0), y_of(p.1));
                }
                // A single day is a short tick, so that it shows.
                if rest.is_empty() {
                    page.line_to(x_of(first.0) + if rtl { -2.0 } else { 2.0 }, y_of(first.1));
                }
                page.stroke();
                page.restore_state();
            }
        }
        let under = bottom - LABEL - 3.0;
        let (start, end) = if rtl { (right, left) } else { (left, right) };
        self.label(start, under, &rules::day_label(first_day));
        let last = rules::day_label(last_day);
        let (_, w) = self.shape(&last, LABEL);
        self.label(if rtl { end + w } else { end - w }, under, &last);
        let target_text = number(target);
        let (_, w) = self.shape(&target_text, LABEL);
        let at = (y_of(target) + 2.0).min(top - LABEL);
        self.label(
            if rtl { end + w + 2.0 } else { end - w - 2.0 },
            at,
            &target_text,
        );
        self.y = under - 6.0;
    }

    fn gap(&mut self) {
        self.y -= 8.0;
    }
}

/// Text typed by people (a title, a name) set apart from the line around it, so that a Hebrew
/// title in an English line (or the reverse) keeps its own order and does not pull the
/// numbers beside it into its run: the Unicode first-strong isolate.
fn isolate(s: &str) -> String {
    format!("\u{2068}{s}\u{2069}")
}

/// A line's characters in the order they are drawn, left to right, by the Unicode bidi
/// algorithm in a paragraph of the given direction; the algorithm's marks left out.
fn visual_order(text: &str, rtl: bool) -> String {
    let level = if rtl { Level::rtl() } else { Level::ltr() };
    let bidi = BidiInfo::new(text, Some(level));
    bidi.paragraphs
        .iter()
        .map(|p| bidi.reorder_line(p, p.range.clone()).into_owned())
        .collect::<String>()
        .chars()
        .filter(|c| !is_bidi_control(*c))
        .collect()
}

/// The invisible marks of the bidi algorithm, which are not drawn.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn mirror(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '<' => '>',
        '>' => '<',
        _ => c,
    }
}

fn number(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// The report as a PDF, in `lang`, set with the font in `font` (a TrueType file's bytes).
pub fn report(r: &Report, lang: Lang, org_name: &str, font: &[u8]) -> Result<Vec<u8>> {
    let face = ttf_parser::Face::parse(font, 0)
        .map_err(|_| AppError::Conflict("report-font-unreadable"))?;
    let t = |k: &str| i18n::t(lang, k);
    let metric = |m: &str| t(&format!("goal-metric-{m}"));
    let mut w = Writer {
        face,
        rtl: lang == Lang::He,
        pages: Vec::new(),
        y: 0.0,
        used: BTreeMap::new(),
    };
    w.line(
        &format!("{} {} — {}", t("report-title"), r.month, isolate(org_name)),
        18.0,
    );
    w.gap();
    if !r.goals.is_empty() {
        w.line(&t("report-goals"), 14.0);
        for g in &r.goals {
            w.line(
                &format!(
                    "{}: {} / {} — {}",
                    isolate(&g.goal.title),
                    number(g.progress.current),
                    number(g.goal.target),
                    t(&format!("outlook-{}", g.progress.outlook.key()))
                ),
                11.0,
            );
            if g.progress.outlook == rules::Outlook::NoData {
                continue;
            }
            // A running sum or a level starts on the goal's first day, from where the goal
            // started; a rate has no such start and begins with its first figure.
            let mut points = g.progress.points.clone();
            let from_start = rules::metric(&g.goal.metric)
                .is_some_and(|m| matches!(m.kind, rules::Kind::Count | rules::Kind::Level));
            if from_start && points.first().is_none_or(|p| p.0 > g.goal.start_day) {
                points.insert(0, (g.goal.start_day, g.progress.baseline));
            }
            w.chart(&points, g.goal.target, g.goal.start_day, g.goal.end_day);
        }
        w.gap();
    }
    w.line(&t("report-growth"), 14.0);
    // Every level, as on the page: "—" where there is no figure yet.
    // The arrow points from the start to the end in the reading direction.
    let level = |v: &Option<f64>| v.map_or_else(|| "—".to_string(), number);
    let arrow = if lang == Lang::He { '←' } else { '→' };
    for (m, start, end) in &r.growth {
        w.line(
            &format!("{}: {} {arrow} {}", metric(m), level(start), level(end)),
            11.0,
        );
    }
    w.gap();
    w.line(&t("report-activity"), 14.0);
    for (m, v) in &r.activity {
        w.line(&format!("{}: {}", metric(m), number(*v)), 11.0);
    }
    w.gap();
    w.line(&t("report-conversation"), 14.0);
    w.line(
        &format!("{}: {}", metric("messages_in"), number(r.messages_in)),
        11.0,
    );
    w.line(
        &format!("{}: {}", t("report-responses"), number(r.responses)),
        11.0,
    );
    if let Some(m) = r.first_response_minutes {
        w.line(
            &format!(
                "{}: {}",
                metric("first_response_minutes"),
                i18n::t_count(lang, "minutes", "count", m.round() as i64)
            ),
            11.0,
        );
    }
    if !r.top.is_empty() {
        w.gap();
        w.line(&t("report-top"), 14.0);
        for p in &r.top {
            w.line(
                &format!(
                    "{} — {} {}",
                    isolate(&p.title),
                    p.engagements,
                    metric("engagements")
                ),
                11.0,
            );
        }
    }
    Ok(finish(w, font))
}

fn finish(w: Writer<'_>, font: &[u8]) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let type0 = Ref::new(3);
    let cid = Ref::new(4);
    let descriptor = Ref::new(5);
    let file = Ref::new(6);
    let cmap = Ref::new(7);
    let first_page = 10;
    let n = w.pages.len();
    let page_ids: Vec<Ref> = (0..n)
        .map(|i| Ref::new(first_page + 2 * i32::try_from(i).unwrap_or(0)))
        .collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(i32::try_from(n).unwrap_or(0));
    for (i, content) in w.pages.into_iter().enumerate() {
        let id = page_ids.get(i).copied().unwrap_or(Ref::new(first_page));
        let content_id = Ref::new(id.get() + 1);
        let mut page = pdf.page(id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H));
        page.parent(tree);
        page.contents(content_id);
        page.resources().fonts().pair(Name(b"F1"), type0);
        page.finish();
        pdf.stream(content_id, &content.finish());
    }
    let name = Name(b"KehillaReportFont");
    pdf.type0_font(type0)
        .base_font(name)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid)
        .to_unicode(cmap);
    let info = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    let mut c = pdf.cid_font(cid);
    c.subtype(CidFontType::Type2)
        .base_font(name)
        .system_info(info)
        .font_descriptor(descriptor)
        .default_width(0.0)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    {
        let mut widths = c.widths();
        for (gid, (_, width)) in &w.used {
            widths.consecutive(*gid, [*width]);
        }
    }
    c.finish();
    let scale = 1000.0 / f32::from(w.face.units_per_em());
    let bbox = w.face.global_bounding_box();
    pdf.font_descriptor(descriptor)
        .name(name)
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(
            f32::from(bbox.x_min) * scale,
            f32::from(bbox.y_min) * scale,
            f32::from(bbox.x_max) * scale,
            f32::from(bbox.y_max) * scale,
        ))
        .italic_angle(0.0)
        .ascent(f32::from(w.face.ascender()) * scale)
        .descent(f32::from(w.face.descender()) * scale)
        .cap_height(f32::from(w.face.capital_height().unwrap_or(700)) * scale)
        .stem_v(80.0)
        .font_file2(file);
    let compressed = miniz_oxide::deflate::compress_to_vec_zlib(font, 6);
    pdf.stream(file, &compressed)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), i32::try_from(font.len()).unwrap_or(0));
    let mut unicode = pdf_writer::types::UnicodeCmap::new(Name(b"Custom"), info);
    for (gid, (ch, _)) in &w.used {
        unicode.pair(*gid, *ch);
    }
    pdf.cmap(cmap, &unicode.finish());
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hebrew_title_in_an_english_line_keeps_its_number_and_leaves_the_figures_alone() {
        // Without the isolate the title's "700" and the figures after it would join its run.
        let line = format!("{}: 237 / 700 — On track", isolate("700 הרשמות"));
        assert_eq!(
            visual_order(&line, false),
            "תומשרה 700: 237 / 700 — On track"
        );
        let bare = "700 הרשמות: 237 / 700 — On track";
        assert_ne!(visual_order(bare, false), visual_order(&line, false));
    }

    #[test]
    fn a_hebrew_line_reads_right_to_left_with_its_numbers_left_to_right() {
        assert_eq!(visual_order("עוקבים: 12 ← 30", true), "30 ← 12 :םיבקוע");
    }
}
