//! The QR code printed on every leaflet: the address of the leaflet's page online, as an SVG the
//! layout shows as an image (with alt text, which PDF/UA requires).

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// An SVG QR code for `url`: black modules on white with the standard quiet zone of four modules,
/// error correction level M (survives a fold or a smudge).
pub fn svg(url: &str) -> crate::error::Result<String> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
        .map_err(|e| crate::error::Error::library("the address is too long for a QR code", e))?;
    Ok(code
        .render::<svg::Color>()
        .quiet_zone(true)
        .module_dimensions(1, 1)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build())
}

#[cfg(test)]
mod tests {
    #[test]
    fn makes_an_svg() {
        let s = super::svg("https://www.alytus.lt/socialines-paslaugos/paslaugos/pagalba-i-namus/").unwrap();
        assert!(s.contains("<svg") && s.contains("viewBox"));
    }
}
