#pragma once
// Mustache rendering of templates/ (kainjow/mustache, header-only; included by emit's .cpp files
// only). Values are inserted verbatim (no HTML escaping); an unknown template or a syntax error
// is an Error naming the template.
#include <kainjow/mustache.hpp>
#include <string>

namespace pimhls::emit {

using TemplateData = kainjow::mustache::data;

std::string render(const std::string& template_name, const TemplateData& data);

// A list value for a {{#section}} from a sequence of data objects.
TemplateData list_of(const std::vector<TemplateData>& items);

}  // namespace pimhls::emit
