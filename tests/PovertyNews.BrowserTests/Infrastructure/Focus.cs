using Microsoft.Playwright;

namespace PovertyNews.BrowserTests.Infrastructure;

/// <summary>What the keyboard focus is on, and whether a person can see it.</summary>
public sealed record FocusState
{
    public string Tag { get; init; } = "";
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public bool Outline { get; init; }
    public double OutlineWidth { get; init; }
    public double Contrast { get; init; }
    public bool InViewport { get; init; }

    /// <summary>WCAG 1.4.11: a focus indicator needs 3:1 against what it is drawn on.</summary>
    public bool IsVisible => Outline && OutlineWidth >= 2 && Contrast >= 3 && InViewport;

    public override string ToString() =>
        $"<{Tag}{(Id.Length > 0 ? " id=" + Id : "")}> “{Name}” outline={Outline} width={OutlineWidth} contrast={Contrast:F2} inViewport={InViewport}";
}

public static class Focus
{
    // The outline's colour against the first opaque background behind it (the element's own for an inset outline,
    // else its parent's), by the WCAG relative-luminance formula.
    private const string ReadFocus = """
        () => {
          const el = document.activeElement;
          if (!el || el === document.body) return null;
          const parse = c => {
            const m = /rgba?\(([^)]+)\)/.exec(c || '');
            if (!m) return null;
            const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
            return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
          };
          const channel = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
          const lum = c => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
          const background = start => {
            for (let n = start; n; n = n.parentElement) {
              const c = parse(getComputedStyle(n).backgroundColor);
              if (c && c.a > 0.5) return c;
            }
            return { r: 255, g: 255, b: 255, a: 1 };
          };
          const cs = getComputedStyle(el);
          const width = parseFloat(cs.outlineWidth) || 0;
          const outline = cs.outlineStyle !== 'none' && width > 0;
          let contrast = 0;
          if (outline) {
            const a = lum(parse(cs.outlineColor));
            const b = lum(background(parseFloat(cs.outlineOffset) < 0 ? el : (el.parentElement || el)));
            contrast = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
          }
          const r = el.getBoundingClientRect();
          const inViewport = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
          const name = (el.getAttribute('aria-label') || el.innerText || el.value || el.name || '').trim().slice(0, 40);
          return { tag: el.tagName.toLowerCase(), id: el.id || '', name, outline, outlineWidth: width, contrast, inViewport };
        }
        """;

    public static async Task<FocusState?> ReadAsync(IPage page) => await page.EvaluateAsync<FocusState?>(ReadFocus);

    /// <summary>Presses Tab and returns what has the focus then.</summary>
    public static async Task<FocusState?> TabAsync(IPage page)
    {
        await page.Keyboard.PressAsync("Tab");
        return await ReadAsync(page);
    }
}
