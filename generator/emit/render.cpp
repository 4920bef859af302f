#include "emit/render.h"

#include "emit/resources.h"
#include "util/error.h"

namespace pimhls::emit {

std::string render(const std::string& template_name, const TemplateData& data) {
  kainjow::mustache::mustache engine(read_template(template_name));
  if (!engine.is_valid()) fail("templates/{}: {}", template_name, engine.error_message());
  engine.set_custom_escape([](const std::string& text) { return text; });
  std::string text = engine.render(data);
  if (!engine.is_valid()) fail("templates/{}: {}", template_name, engine.error_message());
  return text;
}

TemplateData list_of(const std::vector<TemplateData>& items) {
  TemplateData list = TemplateData::type::list;
  for (const TemplateData& item : items) list.push_back(item);
  return list;
}

}  // namespace pimhls::emit
