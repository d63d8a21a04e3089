namespace PovertyNews.Web.Common;

/// <summary>A message for one field of the posted input (an empty field = the form as a whole).</summary>
public sealed record InputError(string Field, string Message);

public enum ResultKind
{
    Done,

    /// <summary>Nothing needed saving; not an error.</summary>
    Unchanged,

    /// <summary>The input or the rules refused the change; nothing was written.</summary>
    Refused,
    NotFound,
    Forbidden,

    /// <summary>Someone else changed the same thing since the form was loaded; nothing was written.</summary>
    Conflict,
}

/// <summary>
/// What every feature's write answers, so that pages handle refusals one way instead of catching exceptions:
/// on success an optional flash message; on failure a Chinese message for the summary, messages per field, and
/// the HTTP status the page should answer with.
/// </summary>
public record Result
{
    protected Result(ResultKind kind, string? message, IReadOnlyList<InputError> errors, int? status)
    {
        Kind = kind;
        Message = message;
        Errors = errors;
        Status = status;
    }

    public ResultKind Kind { get; }

    /// <summary>The flash message after a success; the summary message after a failure (may be null when every error names a field).</summary>
    public string? Message { get; }

    public IReadOnlyList<InputError> Errors { get; }

    /// <summary>An explicit status for a refusal (media answers 413/415); otherwise <see cref="StatusCode"/> follows the kind.</summary>
    public int? Status { get; }

    public bool Succeeded => Kind is ResultKind.Done or ResultKind.Unchanged;

    public int StatusCode => Status ?? Kind switch
    {
        ResultKind.Refused => StatusCodes.Status400BadRequest,
        ResultKind.NotFound => StatusCodes.Status404NotFound,
        ResultKind.Forbidden => StatusCodes.Status403Forbidden,
        ResultKind.Conflict => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status200OK,
    };

    /// <summary>The summary message and every field's, in order, without repeating one.</summary>
    public IEnumerable<string> Messages =>
        (Message is null ? Errors.Select(e => e.Message) : Errors.Select(e => e.Message).Prepend(Message)).Distinct();

    public static Result Done(string? message = null) => new(ResultKind.Done, message, [], null);

    public static Result Unchanged(string? message = null) => new(ResultKind.Unchanged, message, [], null);

    public static Result Refused(string message, int? status = null) => new(ResultKind.Refused, message, [], status);

    public static Result Refused(params InputError[] errors) => new(ResultKind.Refused, null, errors, null);

    public static Result Refused(IReadOnlyList<InputError> errors, int? status = null) => new(ResultKind.Refused, null, errors, status);

    public static Result NotFound(string? message = null) => new(ResultKind.NotFound, message, [], null);

    public static Result Forbidden(string? message = null) => new(ResultKind.Forbidden, message, [], null);

    public static Result Conflict(string message) => new(ResultKind.Conflict, message, [], null);

    /// <summary>A conflict whose messages belong next to fields (Identity reports them like any other error).</summary>
    public static Result Conflict(IReadOnlyList<InputError> errors) => new(ResultKind.Conflict, null, errors, null);

    /// <summary>The same outcome carrying <paramref name="value"/> (what is stored now, say, or a refusal's details).</summary>
    public Result<T> With<T>(T? value) => new(Kind, Message, Errors, Status, value);

    /// <summary>The same outcome as a <see cref="Result{T}"/> without a value: a refusal passed on by a write that returns one.</summary>
    public Result<T> As<T>() => this as Result<T> ?? With<T>(default);
}

/// <summary>
/// A result with a value: on success what was saved (an id, a version, the stored item); on a conflict what is
/// stored now, for the page to show next to the input; on a refusal whatever the page needs to explain it.
/// </summary>
public sealed record Result<T> : Result
{
    internal Result(ResultKind kind, string? message, IReadOnlyList<InputError> errors, int? status, T? value)
        : base(kind, message, errors, status) => Value = value;

    public T? Value { get; }

    public static Result<T> Done(T value, string? message = null) => new(ResultKind.Done, message, [], null, value);

    public static Result<T> Unchanged(T value, string? message = null) => new(ResultKind.Unchanged, message, [], null, value);

    public static Result<T> Conflict(string message, T? stored) => new(ResultKind.Conflict, message, [], null, stored);

}
