using LiteDB;

namespace PlatformBot.Storage;

/// <summary>
/// Query conditions whose values travel as parameters. LiteDB's own <c>Query.EQ</c>, <c>Query.Between</c> and the rest
/// write the value into the expression's text, and LiteDB compiles every distinct text once and keeps it forever (a
/// static cache keyed by text; LiteDB issues #1688 and #2421): a ticket store asked about 100,000 users compiled, and
/// kept, 100,000 delegates, and paid a compile on each new value. Here the text is fixed per field, so it is compiled
/// once, and the values are the expression's parameters. (<c>Query.And</c> joins texts and so drops parameters: use
/// <see cref="Range"/>.)
/// </summary>
internal static class Filter
{
    public static BsonExpression Eq(string field, BsonValue value) => BsonExpression.Create(field + " = @0", value ?? BsonValue.Null);

    public static BsonExpression Gt(string field, BsonValue value) => BsonExpression.Create(field + " > @0", value);

    public static BsonExpression Lte(string field, BsonValue value) => BsonExpression.Create(field + " <= @0", value);

    /// <summary>Both ends included, as LiteDB's BETWEEN.</summary>
    public static BsonExpression Between(string field, BsonValue from, BsonValue to) => BsonExpression.Create(field + " BETWEEN @0 AND @1", from, to);

    /// <summary>From <paramref name="from"/> (included) to <paramref name="to"/> (excluded).</summary>
    public static BsonExpression Range(string field, BsonValue from, BsonValue to) => BsonExpression.Create("(" + field + " >= @0 AND " + field + " < @1)", from, to);

    /// <summary>Any value of a multi-key expression (a sparse index's) equals <paramref name="value"/>.</summary>
    public static BsonExpression Any(string expression, BsonValue value) => BsonExpression.Create(expression + " ANY = @0", value);

    /// <summary>Any value of a multi-key expression is in [from, to).</summary>
    public static BsonExpression AnyRange(string expression, BsonValue from, BsonValue to) =>
        BsonExpression.Create("(" + expression + " ANY >= @0 AND " + expression + " ANY < @1)", from, to);

    public static BsonExpression In(string field, BsonArray values) => BsonExpression.Create(field + " IN @0", values);
}
