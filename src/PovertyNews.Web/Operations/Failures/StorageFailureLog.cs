namespace PovertyNews.Web.Operations.Failures;

internal static class StorageFailureLog
{
    /// <summary>One line per refused write, with SQLite's codes as properties (null for a file write that hit ENOSPC).</summary>
    public static void Unavailable(this ILogger logger, Exception exception, StorageFailure failure, HttpContext http) =>
        logger.LogError(exception,
            "Storage unavailable ({FailureKind}, SQLite error {SqliteErrorCode}, extended {SqliteExtendedErrorCode}, SQLSTATE {SqlState}) on {Method} {Path}: nothing was saved, answered 503",
            failure.Kind, failure.SqliteErrorCode, failure.SqliteExtendedErrorCode, failure.SqlState, http.Request.Method, http.Request.Path.Value);

    public static void SetRetryAfter(HttpResponse response, TimeSpan retryAfter) =>
        response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
