{#-
    The audit schema's side effects of a dbt build.

    create_audit_acceptances (on-run-start): audit.acceptances, the record of
    `budget-etl accept`, exists even before anyone accepted anything, so
    that dbt can read it as a source.

    sync_document_statuses (post-hook of audit.identity_findings): a
    document whose identities inside one table break (severity `error`) is
    quarantined: kept in raw and audit, left out of the marts.
      loaded      + error findings  -> quarantined, reason
                                       'N identity errors, see audit.identity_findings',
                                       led by 'structural checks failed (structure_…); '
                                       when the rows could not be read as numbers
      quarantined + error findings  -> reason refreshed (the count may change)
      quarantined + none left       -> loaded (a re-extraction or a fix
                                       cleared them), but only when the
                                       quarantine was ours (reason pattern)
    Accepted, rejected, superseded and retired documents are never touched.  Only
    the latest row of a document is updated (audit.documents may keep
    history).
-#}

{% macro create_audit_acceptances() %}
    create schema if not exists audit;
    create table if not exists audit.acceptances (
        document_id varchar not null,
        reason varchar,
        accepted_by varchar,
        accepted_at timestamp
    );
{% endmacro %}


{#- The reason written on a quarantine; restore only documents quarantined with it. -#}
{% macro quarantine_reason_suffix() -%}
    'identity errors, see audit.identity_findings'
{%- endmacro %}


{% macro sync_document_statuses(findings) %}
    {%- set documents = source('audit', 'documents') %}
    {%- set latest_row %}
        {{ documents }}.loaded_at is not distinct from (
            select max(history.loaded_at)
            from {{ documents }} as history
            where history.document_id = {{ documents }}.document_id
        )
    {%- endset %}

    update {{ documents }}
    set
        status = 'quarantined',
        reason = coalesce('structural checks failed (' || errors.structural || '); ', '')
            || cast(errors.error_count as varchar) || ' ' || {{ quarantine_reason_suffix() }}
    from (
        select
            document_id,
            count(*) as error_count,
            string_agg(distinct case when left(identity, 10) = 'structure_' then identity end, ', ') as structural
        from {{ findings }}
        where severity = 'error'
        group by document_id
    ) as errors
    where {{ documents }}.document_id = errors.document_id
        and (
            {{ documents }}.status = 'loaded'
            or ({{ documents }}.status = 'quarantined'
                and {{ documents }}.reason like '%' || {{ quarantine_reason_suffix() }})
        )
        and {{ latest_row }};

    update {{ documents }}
    set
        status = 'loaded',
        reason = null
    where {{ documents }}.status = 'quarantined'
        and {{ documents }}.reason like '%' || {{ quarantine_reason_suffix() }}
        and {{ documents }}.document_id not in (
            select document_id from {{ findings }} where severity = 'error'
        )
        and {{ latest_row }};
{% endmacro %}


{#- Predicate keeping the rows of documents that pass the structural checks
    (int_structural_findings): the gate every model reading extracted cells
    as numbers puts on its staging input. -#}
{% macro passes_structural_checks(document_id='document_id') -%}
    {{ document_id }} not in (select document_id from {{ ref('int_structural_findings') }})
{%- endmacro %}
