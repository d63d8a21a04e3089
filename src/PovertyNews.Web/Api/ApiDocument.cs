using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace PovertyNews.Web.Api;

/// <summary>
/// The OpenAPI document at /api/v1/openapi.json: the /api/v1 endpoints only, described in Chinese for partners, with
/// the two ways to send a key and the answers every endpoint may give (401, 429).
/// </summary>
public static class ApiDocument
{
    public const string BearerScheme = "Bearer";
    public const string HeaderScheme = "ApiKey";

    /// <summary>
    /// What a partner needs before the first call, with this site's figures: a partner building from this page alone
    /// found the limits, how to get a key, the cursor's rule and the error shapes missing from the first version.
    /// </summary>
    internal static string Introduction(ApiOptions api) => $$"""
        扶贫新闻网的只读开放接口：稿件、栏目、标签、专题和搜索，只包含网站上公开可见的内容（草稿、定时未到、已撤回或已下线的稿件不会出现）。

        **密钥**：不带密钥也可以访问，每个 IP 每分钟最多 {{api.AnonymousRequestsPerMinute}} 次请求。合作方密钥的限额由本站为每个密钥设定（通常每分钟 {{api.DefaultKeyRequestsPerMinute}} 次），并统计用量。{{KeyContactText(api)}}密钥以 `pnk_` 开头，放在 `Authorization: Bearer <密钥>` 或 `X-Api-Key: <密钥>` 请求头中；无效或已停用的密钥答 401（不会按无密钥处理）。

        **限额**：按一分钟的固定窗口计数（窗口不一定从整分开始）；所有 `/api/v1/` 请求都计数，包括答 304 的条件请求和答 4xx 的请求，但本文档页和 `/api/v1/openapi.json` 不计数。超出时答 429，`Retry-After` 头给出最多需要等待的秒数。

        **分页**：列表按发布时间从新到旧，用 `limit` 指定每页条数（1 到 {{api.MaxPageSize}}，默认 {{api.DefaultPageSize}}）。响应中的 `next` 是下一页的完整地址，为 null 时没有更多；请直接请求 `next`。`nextCursor` 是其中的游标，不透明，只对取得它时的同一组筛选条件（channel、tag、kind、since）有效，条件不同答 400。搜索按页码分页，超出最后一页时答空列表。

        **缓存**：每个响应带 `ETag` 和 `Cache-Control: public, max-age={{api.MaxAgeSeconds}}`；再次请求时带上 `If-None-Match`，内容未变时答 304（不含正文，但计入限额）。

        **时间与地址**：响应中的时间为 ISO 8601，UTC（如 `2020-06-22T08:30:00+00:00`，秒后可能有小数）；网页上显示的是北京时间（UTC+8）。查询参数 `since` 不带时区时按北京时间理解；地址中的 `+` 须写作 `%2B`。响应中的地址都是绝对地址。

        **错误**：400（参数有误）、401（密钥无效）、404（没有这个稿件、专题或接口）和 429（超出限额）都答 `application/problem+json`：`status`、`title` 和中文说明 `detail`；400 还有 `parameter`，指出是哪个查询参数（如 `cursor`、`limit`），供程序判断。例如
        `{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"请求参数有误","status":400,"detail":"limit 应为 1 到 {{api.MaxPageSize}} 之间的整数。","parameter":"limit"}`。

        **更新与撤稿**：稿件修改后 `updatedAt` 变化；撤稿或下线的稿件不再出现在列表中，单篇答 404。需要及时得知发布、修改、撤稿和下线的合作方，可请本站登记 webhook 接收地址：本站以 POST 推送 JSON，`X-PovertyNews-Signature: t=<时间戳>,v1=<HMAC-SHA256("<时间戳>.<正文>") 的十六进制>` 签名。

        **使用内容**：转载或展示稿件须遵守稿件页面上的版权声明，注明来源“扶贫新闻网”并链接稿件的 `url`。图集的图片在 `bodyHtml` 中。
        """;

    private static string KeyContactText(ApiOptions api) => string.IsNullOrWhiteSpace(api.KeyContact)
        ? "申请密钥请联系本站管理员（本站尚未在此公布申请方式）。"
        : $"申请密钥：{api.KeyContact.Trim()}。";

    public static void Configure(OpenApiOptions options)
    {
        options.ShouldInclude = description =>
            description.RelativePath?.StartsWith(ApiEndpoints.Prefix[1..] + "/", StringComparison.Ordinal) == true;
        options.AddDocumentTransformer((document, context, ct) =>
        {
            var api = context.ApplicationServices.GetRequiredService<IOptions<ApiOptions>>().Value;
            document.Info = new OpenApiInfo { Title = "扶贫新闻网 开放接口", Version = "v1", Description = Introduction(api) };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
            {
                [BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "合作方密钥（pnk_ 开头），放在 Authorization: Bearer 头中。",
                },
                [HeaderScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "X-Api-Key", Description = "也可以放在 X-Api-Key 头中。",
                },
            };
            // Optional: the empty requirement says a call without a key is allowed too (with the lower limit).
            document.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(HeaderScheme, document)] = [] },
                new OpenApiSecurityRequirement(),
            ];
            return Task.CompletedTask;
        });
        options.AddOperationTransformer(async (operation, context, ct) =>
        {
            operation.Responses ??= new OpenApiResponses();
            var problem = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), cancellationToken: ct);
            OpenApiResponse Problem(string description) => new()
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } },
            };
            operation.Responses.TryAdd("304", new OpenApiResponse { Description = "内容未变（请求带了匹配的 If-None-Match）" });
            operation.Responses.TryAdd("401", Problem("密钥无效或已停用"));
            operation.Responses.TryAdd("429", Problem("超出每分钟请求数；Retry-After 头给出最多需要等待的秒数"));
            if (operation.Responses.TryGetValue("200", out var ok))
            {
                ok.Description = "成功";
            }
            if (operation.Responses.TryGetValue("400", out var bad))
            {
                bad.Description = "参数有误（detail 中有中文说明）";
            }
            if (operation.Responses.TryGetValue("404", out var missing))
            {
                missing.Description = "没有这个公开的稿件或专题";
            }
            DescribeParameters(operation, context.ApplicationServices.GetRequiredService<IOptions<ApiOptions>>().Value);
        });
    }

    /// <summary>
    /// The handlers bind query values as text (so a bad one gets the API's Chinese 400, not the framework's); the
    /// document still says what they must be, with the configured bounds.
    /// </summary>
    private static void DescribeParameters(OpenApiOperation operation, ApiOptions options)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            switch (parameter.Name)
            {
                case "limit":
                    parameter.Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Integer, Minimum = "1", Maximum = options.MaxPageSize.ToString(CultureInfo.InvariantCulture),
                        Default = options.DefaultPageSize,
                    };
                    parameter.Description = $"每页条数，1 到 {options.MaxPageSize}（默认 {options.DefaultPageSize}）";
                    break;
                case "page" when parameter.In == ParameterLocation.Query:
                    parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1", Default = 1 };
                    break;
                case "since":
                    parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" };
                    break;
                case "kind":
                    parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = ["article", "gallery", "video"] };
                    break;
                case "sort":
                    parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = ["date"] };
                    break;
            }
        }
    }
}
