using System.Globalization;
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

    private const string Introduction = """
        扶贫新闻网的只读开放接口：稿件、栏目、标签、专题和搜索，只包含网站上公开可见的内容（草稿、定时未到、已撤回或已下线的稿件不会出现）。

        **密钥**：不带密钥也可以访问，每个 IP 每分钟的请求数较少；合作方可向本站申请密钥，放在 `Authorization: Bearer <密钥>` 或 `X-Api-Key: <密钥>` 请求头中。无效或已停用的密钥答 401。

        **限额**：按分钟计数；超出时答 429，`Retry-After` 头给出需要等待的秒数。

        **分页**：列表按发布时间从新到旧，用 `limit` 指定每页条数；响应中的 `next` 是下一页的完整地址（`nextCursor` 是其中的游标），为 null 时没有更多。游标不透明，请原样使用。

        **缓存**：每个响应带 `ETag` 和 `Cache-Control: public, max-age=60`；再次请求时带上 `If-None-Match`，内容未变时答 304（不含正文）。

        **时间与地址**：时间为 ISO 8601（UTC，含时区偏移）；地址都是绝对地址。

        **错误**：参数错误答 400，找不到答 404，均为 `application/problem+json`，`detail` 中有中文说明。
        """;

    public static void Configure(OpenApiOptions options)
    {
        options.ShouldInclude = description =>
            description.RelativePath?.StartsWith(ApiEndpoints.Prefix[1..] + "/", StringComparison.Ordinal) == true;
        options.AddDocumentTransformer((document, context, ct) =>
        {
            document.Info = new OpenApiInfo { Title = "扶贫新闻网 开放接口", Version = "v1", Description = Introduction };
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
        options.AddOperationTransformer((operation, context, ct) =>
        {
            operation.Responses ??= new OpenApiResponses();
            operation.Responses.TryAdd("304", new OpenApiResponse { Description = "内容未变（请求带了匹配的 If-None-Match）" });
            operation.Responses.TryAdd("401", new OpenApiResponse { Description = "密钥无效或已停用" });
            operation.Responses.TryAdd("429", new OpenApiResponse { Description = "超出每分钟请求数；见 Retry-After" });
            if (operation.Responses.TryGetValue("200", out var ok))
            {
                ok.Description = "成功";
            }
            DescribeParameters(operation, context.ApplicationServices.GetRequiredService<IOptions<ApiOptions>>().Value);
            return Task.CompletedTask;
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
