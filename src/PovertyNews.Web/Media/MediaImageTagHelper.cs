using Microsoft.AspNetCore.Razor.TagHelpers;

namespace PovertyNews.Web.Media;

/// <summary>
/// <c>&lt;img src="…" media-sizes="(max-width: 700px) 100vw, 760px"&gt;</c>: for a library image, adds the
/// <c>srcset</c> of its renditions and the given <c>sizes</c>; with <c>media-intrinsic</c> also its real width and
/// height (so the page reserves the right space). Other URLs are written as they are.
/// </summary>
[HtmlTargetElement("img", Attributes = SizesAttribute, TagStructure = TagStructure.WithoutEndTag)]
public sealed class MediaImageTagHelper(MediaImages images) : TagHelper
{
    private const string SizesAttribute = "media-sizes";

    [HtmlAttributeName("src")]
    public string? Src { get; set; }

    [HtmlAttributeName(SizesAttribute)]
    public string Sizes { get; set; } = "100vw";

    [HtmlAttributeName("media-intrinsic")]
    public bool Intrinsic { get; set; }

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        output.Attributes.SetAttribute("src", Src);
        if (images.Srcset(Src) is not { } srcset)
        {
            return;
        }
        output.Attributes.SetAttribute("srcset", srcset);
        output.Attributes.SetAttribute("sizes", Sizes);
        if (Intrinsic && images.Size(Src) is { } size)
        {
            output.Attributes.SetAttribute("width", size.Width);
            output.Attributes.SetAttribute("height", size.Height);
        }
    }
}
