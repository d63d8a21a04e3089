using Microsoft.Playwright;

namespace PovertyNews.BrowserTests.Infrastructure;

/// <summary>Pastes as a browser does: a real <c>ClipboardEvent</c> carrying HTML (and the plain text beside it).</summary>
public static class Clipboard
{
    /// <summary>As a WeChat article copies: sections, styled spans (bold as a style), a remote picture.</summary>
    public const string WeChatHtml = """
        <section style="margin:0 8px"><section><p style="text-align:justify"><span style="font-size:15px;color:rgb(62,62,62)">十八洞村的</span><span style="font-weight:bold;color:#c00">乡村游</span><span style="font-size:15px">越来越热。</span></p>
        <p><img data-src="https://mmbiz.qpic.cn/a.jpg" src="https://mmbiz.qpic.cn/a.jpg" alt="村口"></p></section></section>
        """;

    public static async Task PasteHtmlAsync(ILocator target, string html) =>
        await target.EvaluateAsync("""
            (element, html) => {
              const data = new DataTransfer();
              data.setData('text/html', html);
              data.setData('text/plain', 'plain text only');
              element.focus();
              element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
            }
            """, html);
}
