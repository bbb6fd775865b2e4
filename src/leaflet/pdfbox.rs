//! The one page box Typst does not write: the BleedBox of the print-shop version.
//!
//! Typst sets each page's MediaBox (the sheet) and, with `bleed`, its TrimBox (the finished size).
//! Print shops also read the BleedBox (trim plus bleed), which differs from the MediaBox when crop
//! marks make the sheet larger. This adds `/BleedBox` to every page dictionary that has a TrimBox
//! and rebuilds the cross-reference table. It works on the classic layout the PDF writer behind
//! Typst produces (uncompressed page dictionaries, one `xref` table) and refuses anything else.

/// Adds `/BleedBox` (the TrimBox grown by `bleed_pt` on each side, kept inside the MediaBox) to
/// every page that has a TrimBox.
pub fn set_bleed_box(pdf: &[u8], bleed_pt: f64) -> crate::error::Result<Vec<u8>> {
    let refused = |why: &'static str| crate::error::Error::library("cannot set the BleedBox", why);
    let xref_at = startxref(pdf).ok_or_else(|| refused("no startxref"))?;
    let (entries, xref_end) = parse_xref(pdf, xref_at).ok_or_else(|| refused("no classic cross-reference table"))?;
    // Insertions: (byte offset, text).
    let mut inserts: Vec<(usize, String)> = Vec::new();
    for e in entries.iter().filter(|e| e.in_use) {
        let start = e.offset;
        let Some(end) = find(pdf, start, b"endobj") else { continue };
        let obj = &pdf[start..end];
        if !is_page(obj) || find(obj, 0, b"/BleedBox").is_some() {
            continue;
        }
        let (Some(trim), Some(media)) = (array_after(obj, b"/TrimBox"), array_after(obj, b"/MediaBox")) else {
            continue;
        };
        let Some(open) = find(obj, 0, b"<<") else { continue };
        let bleed = [
            (trim[0] - bleed_pt).max(media[0]),
            (trim[1] - bleed_pt).max(media[1]),
            (trim[2] + bleed_pt).min(media[2]),
            (trim[3] + bleed_pt).min(media[3]),
        ];
        inserts.push((
            start + open + 2,
            format!("/BleedBox[{} {} {} {}]", num(bleed[0]), num(bleed[1]), num(bleed[2]), num(bleed[3])),
        ));
    }
    if inserts.is_empty() {
        return Ok(pdf.to_vec());
    }
    inserts.sort_by_key(|(at, _)| *at);
    let shift = |offset: usize| -> usize {
        offset + inserts.iter().filter(|(at, _)| *at <= offset).map(|(_, s)| s.len()).sum::<usize>()
    };

    let mut out = Vec::with_capacity(pdf.len() + inserts.len() * 48);
    let mut pos = 0;
    for (at, s) in &inserts {
        out.extend_from_slice(&pdf[pos..*at]);
        out.extend_from_slice(s.as_bytes());
        pos = *at;
    }
    out.extend_from_slice(&pdf[pos..xref_at]);
    // The cross-reference table, with the objects' new offsets.
    let new_xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n", entries.len()).as_bytes());
    for e in &entries {
        if e.in_use {
            out.extend_from_slice(format!("{:010} {:05} n\r\n", shift(e.offset), e.generation).as_bytes());
        } else {
            out.extend_from_slice(format!("{:010} {:05} f\r\n", e.offset, e.generation).as_bytes());
        }
    }
    // The trailer as it was, then the new position of the table.
    let trailer_end = find(pdf, xref_end, b"startxref").ok_or_else(|| refused("no startxref after the trailer"))?;
    out.extend_from_slice(&pdf[xref_end..trailer_end]);
    out.extend_from_slice(format!("startxref\n{new_xref}\n%%EOF").as_bytes());
    Ok(out)
}

/// The boxes of a page, in points: [x0, y0, x1, y1].
pub struct Boxes {
    pub trim: [f64; 4],
    /// The BleedBox, or the MediaBox when the page has none (as the PDF standard says).
    pub bleed: [f64; 4],
}

/// The boxes of the first page of a PDF written by Typst (TrimBox = MediaBox when it has none).
pub fn first_page_boxes(pdf: &[u8]) -> Option<Boxes> {
    let xref_at = startxref(pdf)?;
    let (entries, _) = parse_xref(pdf, xref_at)?;
    let mut pages: Vec<&Entry> = entries.iter().filter(|e| e.in_use).collect();
    pages.sort_by_key(|e| e.offset);
    for e in pages {
        let end = find(pdf, e.offset, b"endobj")?;
        let obj = &pdf[e.offset..end];
        if is_page(obj) {
            let media = array_after(obj, b"/MediaBox")?;
            let trim = array_after(obj, b"/TrimBox").unwrap_or(media);
            let bleed = array_after(obj, b"/BleedBox").unwrap_or(media);
            return Some(Boxes { trim, bleed });
        }
    }
    None
}

struct Entry {
    offset: usize,
    generation: u32,
    in_use: bool,
}

fn num(x: f64) -> String {
    let s = format!("{x:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

fn startxref(pdf: &[u8]) -> Option<usize> {
    let at = rfind(pdf, b"startxref")?;
    let rest = std::str::from_utf8(&pdf[at + 9..]).ok()?;
    rest.split_whitespace().next()?.parse().ok()
}

/// Parses the single-subsection table `xref\n0 N\n...`; returns the entries and where the table ends.
fn parse_xref(pdf: &[u8], at: usize) -> Option<(Vec<Entry>, usize)> {
    let text = pdf.get(at..)?;
    if !text.starts_with(b"xref") {
        return None;
    }
    let mut pos = 4;
    let line = |pos: &mut usize| -> Option<String> {
        while *pos < text.len() && (text[*pos] == b'\n' || text[*pos] == b'\r' || text[*pos] == b' ') {
            *pos += 1;
        }
        let end = text[*pos..].iter().position(|&c| c == b'\n' || c == b'\r').map(|e| e + *pos).unwrap_or(text.len());
        let s = std::str::from_utf8(&text[*pos..end]).ok()?.to_string();
        *pos = end;
        Some(s)
    };
    let header = line(&mut pos)?;
    let mut it = header.split_whitespace();
    let (first, count): (usize, usize) = (it.next()?.parse().ok()?, it.next()?.parse().ok()?);
    if first != 0 {
        return None;
    }
    let mut entries = Vec::with_capacity(count);
    for _ in 0..count {
        let l = line(&mut pos)?;
        let mut f = l.split_whitespace();
        let offset = f.next()?.parse().ok()?;
        let generation = f.next()?.parse().ok()?;
        let kind = f.next()?;
        entries.push(Entry { offset, generation, in_use: kind == "n" });
    }
    // Skip the line end after the last entry.
    while pos < text.len() && (text[pos] == b'\n' || text[pos] == b'\r' || text[pos] == b' ') {
        pos += 1;
    }
    if !text[pos..].starts_with(b"trailer") {
        return None;
    }
    Some((entries, at + pos))
}

/// Whether an object is a page dictionary (`/Type /Page` or `/Type/Page`, not `/Pages`).
fn is_page(obj: &[u8]) -> bool {
    for needle in [&b"/Type/Page"[..], &b"/Type /Page"[..]] {
        let mut from = 0;
        while let Some(i) = find(obj, from, needle) {
            let next = obj.get(i + needle.len()).copied().unwrap_or(b' ');
            if !next.is_ascii_alphanumeric() {
                return true;
            }
            from = i + needle.len();
        }
    }
    false
}

/// The four numbers of `/Key [a b c d]`.
fn array_after(obj: &[u8], key: &[u8]) -> Option<[f64; 4]> {
    let at = find(obj, 0, key)? + key.len();
    let open = find(obj, at, b"[")?;
    let close = find(obj, open, b"]")?;
    let s = std::str::from_utf8(&obj[open + 1..close]).ok()?;
    let v: Vec<f64> = s.split_whitespace().filter_map(|x| x.parse().ok()).collect();
    (v.len() == 4).then(|| [v[0], v[1], v[2], v[3]])
}

#[cfg(test)]
mod tests {
    #[test]
    fn adds_a_bleed_box_and_keeps_offsets_right() {
        let objs = [
            "1 0 obj\n<</Type/Pages/Kids[2 0 R]/Count 1>>\nendobj\n",
            "2 0 obj\n<</Type/Page/Parent 1 0 R/MediaBox[0 0 100 200]/TrimBox[10 10 90 190]>>\nendobj\n",
        ];
        let mut pdf = b"%PDF-1.7\n".to_vec();
        let mut offsets = Vec::new();
        for o in objs {
            offsets.push(pdf.len());
            pdf.extend_from_slice(o.as_bytes());
        }
        let xref = pdf.len();
        pdf.extend_from_slice(b"xref\n0 3\n0000000000 65535 f\r\n");
        for o in &offsets {
            pdf.extend_from_slice(format!("{o:010} 00000 n\r\n").as_bytes());
        }
        pdf.extend_from_slice(
            format!("trailer\n<<\n  /Size 3\n  /Root 1 0 R\n>>\nstartxref\n{xref}\n%%EOF").as_bytes(),
        );
        let out = super::set_bleed_box(&pdf, 5.0).unwrap();
        let s = String::from_utf8(out.clone()).unwrap();
        assert!(s.contains("<</BleedBox[5 5 95 195]/Type/Page"), "{s}");
        assert_eq!(s.matches("/BleedBox").count(), 1, "only on the page");
        // Every xref offset points at its object.
        let at = super::startxref(&out).unwrap();
        let (entries, _) = super::parse_xref(&out, at).unwrap();
        for (n, e) in entries.iter().enumerate().skip(1) {
            assert!(s[e.offset..].starts_with(&format!("{n} 0 obj")), "object {n}");
        }
        assert!(s.ends_with("%%EOF") && s.contains("/Root 1 0 R"));
    }
}
