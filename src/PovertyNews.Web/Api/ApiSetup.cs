using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Api.Keys;
using Scalar.AspNetCore;

namespace PovertyNews.Web.Api;

/// <summary>
/// The read API for partners (/api/v1): published content as JSON, its OpenAPI document and reference page
/// (/api/docs), partner keys with per-key limits and use counts.
/// </summary>
public static class ApiSetup
{
    public const string DocsPath = "/api/docs";
    public const string OpenApiPath = ApiEndpoints.Prefix + "/openapi.json";

    public static IServiceCollection AddApi(this IServiceCollection services)
    {
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.DefaultPageSize <= o.MaxPageSize, "PovertyNews:Api:DefaultPageSize must not exceed MaxPageSize.")
            .Validate(o => o.UseFlushInterval > TimeSpan.Zero, "PovertyNews:Api:UseFlushInterval must be positive.")
            .ValidateOnStart();
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<ApiOptions>>((cors, api) => ApiCors.Configure(cors, api.Value));
        // Chinese goes out as characters, as in the pages: a third of the bytes and readable by a partner's developer.
        // Strict numbers: the web defaults read numbers from strings too, and the OpenAPI document then typed every id
        // and count as "integer or string", which code generators turn into unions.
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        services.AddRateLimiter(o => o.AddPolicy<string, ApiRateLimit>(ApiRateLimit.Name));
        services.AddMemoryCache();
        services.AddSingleton<ApiKeyDirectory>();
        services.AddSingleton<ApiUseCounter>();
        services.AddSingleton<ApiUseFlushService>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiUseFlushService>());
        services.AddScoped<ApiKeyService>();
        services.AddOpenApi("v1", ApiDocument.Configure);
        return services;
    }

    /// <summary>
    /// Before the rate limiter and the output cache: CORS (preflights end here), then the key check (an unknown or
    /// revoked key is a 401, never anonymous use) and the use count, for cached answers as well.
    /// </summary>
    public static IApplicationBuilder UseApi(this IApplicationBuilder app)
    {
        app.UseCors();
        var directory = app.ApplicationServices.GetRequiredService<ApiKeyDirectory>();
        var counter = app.ApplicationServices.GetRequiredService<ApiUseCounter>();
        var options = app.ApplicationServices.GetRequiredService<IOptions<ApiOptions>>();
        return app.Use(async (http, next) =>
        {
            if (http.GetEndpoint()?.Metadata.GetMetadata<ApiEndpointMarker>() is null)
            {
                await next(http);
                return;
            }
            ActiveApiKey? key = null;
            if (ApiCallers.PresentedKey(http.Request) is { } presented)
            {
                key = await directory.FindAsync(presented, http.RequestAborted);
                if (key is null)
                {
                    http.Response.Headers.WWWAuthenticate = "Bearer";
                    await ApiResults.WriteProblemAsync(http, StatusCodes.Status401Unauthorized, "API 密钥无效",
                        "这个密钥不存在或已停用。请检查 Authorization: Bearer 或 X-Api-Key 中的密钥；也可以不带密钥以较低的限额访问。",
                        http.RequestAborted);
                    return;
                }
            }
            http.Features.Set(key is null ? ApiCallers.Anonymous(http, options.Value) : ApiCallers.For(key));
            await next(http);
            if (key is not null && http.Response.StatusCode != StatusCodes.Status429TooManyRequests)
            {
                counter.Count(key.Id);
            }
        });
    }

    public static IEndpointRouteBuilder MapApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup(ApiEndpoints.Prefix)
            .WithMetadata(new ApiEndpointMarker())
            .RequireRateLimiting(ApiRateLimit.Name)
            .RequireCors(ApiCors.PolicyName)
            .MapApiEndpoints();
        // The document is not rate limited: a partner whose program used up its minute must still be able to read the
        // docs page, which loads it. It is one cached answer.
        app.MapOpenApi(OpenApiPath).CacheOutput(new ApiCachePolicy()).RequireCors(ApiCors.PolicyName);
        app.MapScalarApiReference(DocsPath, o => o
            .WithTitle("扶贫新闻网 开放接口")
            .WithOpenApiRoutePattern(OpenApiPath)
            .WithNonce()
            .DisableDefaultFonts()
            .DisableTelemetry()
            // No third-party services from the page: Scalar's AI agent, MCP and developer toolbar talk to scalar.com.
            .DisableAgent()
            .DisableMcp()
            .HideDeveloperTools()
            .WithDefaultHttpClient(ScalarTarget.Shell, ScalarClient.Curl)
            .AddPreferredSecuritySchemes(ApiDocument.BearerScheme));
        // Scalar answers /api/docs with a redirect to /api/docs/ (its assets are relative to the page).
        app.MapGet("/api", () => Results.Redirect(DocsPath + "/")).ExcludeFromDescription();
        return app;
    }
}

/// <summary>Marks the endpoints the key check, the API's rate limit and its CORS policy apply to.</summary>
public sealed class ApiEndpointMarker;
