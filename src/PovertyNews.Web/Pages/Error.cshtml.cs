using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PovertyNews.Web.Operations.Failures;

namespace PovertyNews.Web.Pages;

[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
// A re-executed POST whose body could not be read (too large) carries no readable token; the page changes nothing.
[IgnoreAntiforgeryToken]
public class ErrorModel(ILogger<ErrorModel> logger) : PageModel
{
    public int Code { get; private set; }
    public string Heading { get; private set; } = "";
    public string Text { get; private set; } = "";

    public IActionResult OnGet(int? code) => Show(code);

    // A refused POST (403, 404, 400) is re-executed here as a POST; it gets the same page.
    public IActionResult OnPost(int? code) => Show(code);

    private IActionResult Show(int? code)
    {
        // Reached directly (/error/404 typed in), re-executed for a status code, or by the exception handler.
        var reExecuted = HttpContext.Features.Get<IStatusCodeReExecuteFeature>();
        var exception = HttpContext.Features.Get<IExceptionHandlerPathFeature>();
        if (reExecuted is not null && code is null)
        {
            // Binding found no code: the refused POST's form could not be read (too large). The status is still set.
            code = Response.StatusCode;
        }
        Code = exception is not null ? 500 : code is >= 400 and < 600 ? code.Value : 404;
        if (exception is not null)
        {
            logger.LogError(exception.Error, "Unhandled exception on {Path}", exception.Path);
        }
        (Heading, Text) = Code switch
        {
            400 => ("请求有误", "请求的参数不正确，请检查后重试。"),
            403 => ("没有权限", Admin.AccessRefusal.ReasonOf(HttpContext) ?? "您没有权限访问这个页面。"),
            404 => ("页面不存在", "您访问的页面不存在，可能已被删除或地址有误。"),
            405 => ("请求方式不支持", "这个页面不支持这种请求方式。"),
            410 => ("内容已撤回", "您访问的内容已撤回。"),
            413 => ("内容过大", "提交的内容（如上传的文件）超过了允许的大小，请减小后重试。"),
            429 => ("请求过于频繁", "请稍候片刻再试。"),
            503 when HttpContext.Features.Get<StorageFailure>() is not null => ("暂时无法保存", StorageFailure.Message),
            503 => ("服务暂时不可用", "服务器暂时无法处理请求，请稍后再试。"),
            _ when Code >= 500 => ("服务器出错了", "服务器暂时无法完成请求，请稍后再试。我们已记录这个问题。"),
            _ => ("出错了", "无法完成这个请求。"),
        };
        if (reExecuted is null)
        {
            Response.StatusCode = Code;
        }
        ViewData["HideSidebars"] = true;
        PageMeta.Set(ViewData, Heading, noIndex: true);
        return Page();
    }
}
